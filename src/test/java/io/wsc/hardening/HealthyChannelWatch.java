package io.wsc.hardening;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import io.wsc.support.TestKey;
import io.wsc.support.TestSubscriber;

/**
 * A healthy subscriber on a channel of its own, and a publisher that keeps sending it numbered messages while hostile
 * input hits the server: at the end, every message must have arrived, once, in order.
 */
final class HealthyChannelWatch {

    private static final Duration INTERVAL = Duration.ofMillis(20);

    private final String channel = "hardening/watch/" + UUID.randomUUID();
    private final AtomicInteger published = new AtomicInteger();
    private final List<String> publishFailures = new ArrayList<>();
    private TestSubscriber subscriber;
    private Thread publisher;
    private volatile boolean running;

    /** Subscribes and starts publishing; does nothing if already started. */
    synchronized void start(URI base) {
        start(base, channelId -> "/" + channelId);
    }

    /** As {@link #start(URI)}, subscribing at the path {@code subscribePath} makes of the channel (e.g. with a token). */
    synchronized void start(URI base, UnaryOperator<String> subscribePath) {
        if (running) {
            return;
        }
        subscriber = TestSubscriber.connect(base, subscribePath.apply(channel));
        running = true;
        publisher = new Thread(() -> publishUntilStopped(base), "healthy-channel-publisher");
        publisher.setDaemon(true);
        publisher.start();
    }

    private void publishUntilStopped(URI base) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = base.resolve(channel);
        while (running) {
            int n = published.get();
            HttpRequest request = HttpRequest.newBuilder(uri).header("access-key", TestKey.KEY)
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("watch " + n)).build();
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 201) {
                    synchronized (publishFailures) {
                        publishFailures.add("message " + n + ": " + status);
                    }
                }
                published.incrementAndGet();
                Thread.sleep(INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                synchronized (publishFailures) {
                    publishFailures.add("message " + n + ": " + e);
                }
                published.incrementAndGet();
            }
        }
    }

    /** Waits until at least {@code count} messages have been published (for a suite that finishes quickly). */
    void awaitPublished(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> published.get() >= count);
    }

    /** Stops publishing and asserts the subscriber received every published message, in order, and nothing else. */
    void stopAndAssertEverythingArrived(int atLeast) throws InterruptedException {
        running = false;
        publisher.join(TimeUnit.SECONDS.toMillis(15));
        try {
            synchronized (publishFailures) {
                assertTrue(publishFailures.isEmpty(), "publishing to the healthy channel failed: " + publishFailures);
            }
            int total = published.get();
            assertTrue(total >= atLeast, "only " + total + " messages were published during the suite");
            for (int n = 0; n < total; n++) {
                assertEquals("watch " + n, subscriber.next(), "the healthy subscriber's message " + n + " of " + total);
            }
            assertTrue(subscriber.staysSilent(Duration.ofMillis(200)), "nothing beyond what was published arrives");
        } finally {
            subscriber.close();
        }
    }
}
