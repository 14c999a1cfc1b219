package io.wsc.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.wsc.client.WscClient;
import io.wsc.client.WscException;

/**
 * One publisher's ledger of every publish it tried and how it was answered, and the check of what a subscriber saw
 * against it, the first rule of wsc: every acknowledged (201) message arrives once and in order, or a loss signal (a gap,
 * or a close that says messages were lost) comes before the next message that does arrive.
 */
public final class DeliveryLedger {

    /** What a subscriber saw: a message's body, or a loss signal. */
    public record Seen(String message) {

        public static final Seen LOSS = new Seen(null);

        public boolean isLoss() {
            return message == null;
        }
    }

    private final List<String> tried = new ArrayList<>();
    private final Map<String, Integer> status = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread publisher;

    /** Publishes {@code m-0}, {@code m-1}, ... to the channel every {@code pauseMillis} until {@link #stop}. */
    public DeliveryLedger start(WscClient client, String channel, long pauseMillis) {
        publisher = new Thread(() -> {
            for (int i = 0; running.get(); i++) {
                String message = "m-" + i;
                synchronized (this) {
                    tried.add(message);
                }
                int answer;
                try {
                    client.send(channel, message);
                    answer = 201;
                } catch (WscException refused) {
                    answer = refused.statusCode();
                } catch (Exception failed) {
                    answer = -1; // no answer: it may or may not have gone out, as with a 503
                }
                synchronized (this) {
                    status.put(message, answer);
                }
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "ledger-publisher");
        publisher.start();
        return this;
    }

    public void stop() throws InterruptedException {
        running.set(false);
        publisher.join(30_000);
    }

    public synchronized List<String> acknowledged() {
        return tried.stream().filter(message -> Integer.valueOf(201).equals(status.get(message))).toList();
    }

    public synchronized List<String> tried() {
        return List.copyOf(tried);
    }

    /** The HTTP status the publish of {@code message} got: -1 without an answer, null while it is in flight. */
    public synchronized Integer answer(String message) {
        return status.get(message);
    }

    /**
     * Null when {@code seen} keeps the rule, else what broke it. Messages that were not acknowledged may arrive or not
     * (a 503 or a timeout does not say it was not sent); none may arrive twice or out of order.
     */
    public synchronized String violation(List<Seen> seen) {
        int at = -1; // index in tried of the last message seen
        boolean told = false;
        for (Seen event : seen) {
            if (event.isLoss()) {
                told = true;
                continue;
            }
            int index = tried.indexOf(event.message());
            if (index < 0) {
                return "never published: " + event.message();
            }
            if (index <= at) {
                return event.message() + " twice or out of order, after " + tried.get(at);
            }
            String missed = firstAcknowledged(at + 1, index);
            if (missed != null && !told) {
                return missed + " was acknowledged and is missing before " + event.message() + ", without a signal";
            }
            at = index;
            told = false;
        }
        String missed = firstAcknowledged(at + 1, tried.size());
        return missed != null && !told ? missed + " was acknowledged and is missing at the end, without a signal" : null;
    }

    private String firstAcknowledged(int from, int to) {
        for (int i = from; i < to; i++) {
            if (Integer.valueOf(201).equals(status.get(tried.get(i)))) {
                return tried.get(i);
            }
        }
        return null;
    }
}
