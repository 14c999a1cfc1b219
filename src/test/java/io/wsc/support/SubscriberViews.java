package io.wsc.support;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.vertx.core.json.JsonObject;
import io.wsc.support.DeliveryLedger.Seen;

/**
 * A raw, a JSON and an event-stream subscriber of one channel on each node, and the check of what each saw against a
 * publisher's {@link DeliveryLedger}: for a raw subscriber a close with 1012 is the loss signal, for the others a gap.
 */
public final class SubscriberViews {

    /** How long a subscriber may stay quiet before its view is taken as complete. */
    private static final Duration QUIET = Duration.ofSeconds(3);

    public final List<TestSubscriber> raw = new ArrayList<>();
    public final List<JsonSubscriber> json = new ArrayList<>();
    public final List<EventStreamClient> streams = new ArrayList<>();

    /** Connects them; each is handed to {@code keep} so the test closes it. */
    public SubscriberViews(String channel, List<PackagedServer> nodes, Consumer<AutoCloseable> keep)
            throws Exception {
        for (PackagedServer node : nodes) {
            raw.add(kept(TestSubscriber.connect(node.base(), "/" + channel), keep));
            json.add(kept(JsonSubscriber.connect(node.base(), "/" + channel), keep));
            streams.add(kept(EventStreamClient.connect(node.base(), "/" + channel), keep));
        }
    }

    private static <T extends AutoCloseable> T kept(T subscriber, Consumer<AutoCloseable> keep) {
        keep.accept(subscriber);
        return subscriber;
    }

    /** Asserts every subscriber's view keeps the first rule; returns how many loss signals each kind got. */
    public Map<String, Integer> check(DeliveryLedger ledger) throws Exception {
        String last = ledger.tried().get(ledger.tried().size() - 1);
        Map<String, Integer> losses = new HashMap<>(Map.of("raw", 0, "json", 0, "sse", 0));
        for (TestSubscriber subscriber : raw) {
            losses.merge("raw", losses(ledger, "raw", seen(subscriber, last)), Integer::sum);
        }
        for (JsonSubscriber subscriber : json) {
            losses.merge("json", losses(ledger, "json", seen(subscriber, last)), Integer::sum);
        }
        for (EventStreamClient subscriber : streams) {
            losses.merge("sse", losses(ledger, "sse", seen(subscriber, last)), Integer::sum);
        }
        return losses;
    }

    private static int losses(DeliveryLedger ledger, String kind, List<Seen> seen) {
        assertNull(ledger.violation(seen), kind + " subscriber saw " + seen);
        return (int) seen.stream().filter(Seen::isLoss).count();
    }

    /** Frames until {@code last} or a close; a close with 1012 is the raw subscriber's loss signal. */
    private static List<Seen> seen(TestSubscriber subscriber, String last) throws InterruptedException {
        List<Seen> seen = new ArrayList<>();
        for (Object frame = subscriber.received.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS); frame != null;
                frame = subscriber.received.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)) {
            seen.add(new Seen((String) frame));
            if (frame.equals(last)) {
                break;
            }
        }
        if (subscriber.closeCode.isDone() && subscriber.closeCode.join() == 1012) {
            seen.add(Seen.LOSS);
        }
        return seen;
    }

    private static List<Seen> seen(JsonSubscriber subscriber, String last) throws InterruptedException {
        List<Seen> seen = new ArrayList<>();
        for (JsonObject frame = subscriber.poll(QUIET); frame != null; frame = subscriber.poll(QUIET)) {
            if ("gap".equals(frame.getString("type"))) {
                seen.add(Seen.LOSS);
                continue;
            }
            seen.add(new Seen(frame.getString("data")));
            if (last.equals(frame.getString("data"))) {
                break;
            }
        }
        return seen;
    }

    private static List<Seen> seen(EventStreamClient subscriber, String last) throws InterruptedException {
        List<Seen> seen = new ArrayList<>();
        for (EventStreamClient.Event event = subscriber.poll(QUIET); event != null; event = subscriber.poll(QUIET)) {
            if ("gap".equals(event.type())) {
                seen.add(Seen.LOSS);
                continue;
            }
            seen.add(new Seen(event.data()));
            if (last.equals(event.data())) {
                break;
            }
        }
        return seen;
    }
}
