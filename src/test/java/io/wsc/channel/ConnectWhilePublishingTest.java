package io.wsc.channel;

import static io.wsc.support.TestKey.KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wsc.support.TestSubscriber;

/**
 * Subscribers join while a publisher sends without pause: every handshake stays valid (no frame is written before the
 * 101), and each subscriber receives an unbroken, ordered run of the messages, including one published the moment its
 * socket opened.
 */
@QuarkusTest
class ConnectWhilePublishingTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void joiningDuringAPublishStormLosesNothingAfterTheOpen() throws Exception {
        String channel = "storm/" + UUID.randomUUID();
        HttpClient http = HttpClient.newHttpClient();
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
            while (publishing.get()) {
                send(http, channel, String.valueOf(published.getAndIncrement()));
            }
        });
        List<TestSubscriber> subscribers = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel);
                subscribers.add(subscriber);
                // Published right after the client saw the socket open: it must arrive.
                send(http, channel, "opened-" + i);
            }
        } finally {
            publishing.set(false);
            publisher.get();
        }
        for (int i = 0; i < subscribers.size(); i++) {
            TestSubscriber subscriber = subscribers.get(i);
            boolean sawOwn = false;
            int last = -1;
            for (Object message; (message = subscriber.received.poll()) != null || !sawOwn;) {
                if (message == null) {
                    message = subscriber.next(); // waits for what is still in flight
                }
                String text = (String) message;
                if (text.equals("opened-" + i)) {
                    sawOwn = true;
                } else if (!text.startsWith("opened-")) {
                    int n = Integer.parseInt(text);
                    assertTrue(last < 0 || n == last + 1, "subscriber " + i + " got " + n + " after " + last);
                    last = n;
                }
            }
            subscriber.close();
        }
        assertTrue(published.get() > 200, "the publisher kept publishing while subscribers joined");
    }

    private void send(HttpClient http, String channel, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve(channel)).version(HttpClient.Version.HTTP_1_1)
                    .header("access-key", KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build();
            assertEquals(201, http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
