package io.wsc.channel;

import static io.wsc.support.TestKey.withKey;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.wsc.support.TestKey;

/**
 * Publishes running ahead of the fan-out, over real HTTP: the subscribers live on an embedded channel whose event loop
 * runs only when the test says so, so what is queued for them is exactly what the test published.
 */
@QuarkusTest
@TestProfile(FanOutBoundTest.SmallFanOut.class)
class FanOutBoundTest {

    static final int QUEUE_AHEAD = 2;
    static final int BODY = 100;
    static final int MAX_QUEUED = 10 * BODY;

    public static class SmallFanOut implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wsc.fan-out.queue-ahead", String.valueOf(QUEUE_AHEAD),
                    "wsc.fan-out.max-queued-bytes", String.valueOf(MAX_QUEUED));
        }
    }

    @Inject
    ChannelHub hub;

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void publishesAreAnsweredWhenQueuedThenPacedThenRefusedAndEverySubscriberGetsThemInOrderInOneWrite()
            throws Exception {
        String channel = "bound/" + UUID.randomUUID();
        FlushCounter flushes = new FlushCounter();
        EmbeddedChannel socket = new EmbeddedChannel(flushes);
        EmbeddedChannel small = new EmbeddedChannel(new FlushCounter()); // a handler, so the eviction can close it
        Subscriber reader = subscriber(channel, socket, 1 << 20);
        Subscriber slow = subscriber(channel, small, 3 * BODY + 50); // room for about three frames
        flushes.count = 0; // opening flushes what was held
        long queuedBefore = hub.fanOutQueuedBytes();
        try {
            List<String> bodies = new ArrayList<>();
            for (int m = 0; m < MAX_QUEUED / BODY; m++) {
                bodies.add(body(m));
            }
            // Answered at once while fewer than queue-ahead messages wait for the loop.
            for (int m = 0; m < QUEUE_AHEAD; m++) {
                assertEquals(201, post(channel, bodies.get(m)).get(10, TimeUnit.SECONDS).statusCode());
            }
            // Then each waits for its message to be written; each is sent once the one before is queued, so the
            // queue's order is the test's.
            List<CompletableFuture<HttpResponse<String>>> paced = new ArrayList<>();
            for (int m = QUEUE_AHEAD; m < bodies.size(); m++) {
                paced.add(post(channel, bodies.get(m)));
                long queued = queuedBefore + 2L * (m + 1) * BODY; // each embedded channel is a loop of its own
                await().atMost(Duration.ofSeconds(10)).until(() -> hub.fanOutQueuedBytes() == queued);
            }
            assertFalse(paced.stream().anyMatch(CompletableFuture::isDone), "nothing was written yet");
            // Full: refused, and nothing of it is kept or sent.
            HttpResponse<String> refused = post(channel, body(99)).get(10, TimeUnit.SECONDS);
            assertEquals(503, refused.statusCode());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
            assertTrue(refused.body().contains("wsc.fan-out.max-queued-bytes"), refused.body());

            socket.runPendingTasks(); // each loop's pass: every queued message to its subscriber
            closedQuietly(small::runPendingTasks);

            for (CompletableFuture<HttpResponse<String>> answer : paced) {
                HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
                assertEquals(201, response.statusCode());
                assertTrue(response.body().contains("\"recipients\":2"), response.body());
            }
            List<List<String>> writes = WrittenFrames.writes(socket);
            assertEquals(List.of(bodies), writes, "every acknowledged message, in order, in one write");
            assertEquals(1, flushes.count, "one flush for the whole batch");
            assertFalse(small.isActive(), "the subscriber past its pending allowance was dropped");
            List<String> partial = WrittenFrames.writes(small).stream().flatMap(List::stream).toList();
            assertTrue(partial.size() < bodies.size() && bodies.subList(0, partial.size()).equals(partial),
                    "what it got is a prefix, in order: " + partial.size());
            assertEquals(queuedBefore, hub.fanOutQueuedBytes(), "the backlog is empty again");
            withKey().get("/" + channel).then().body("stat.sent_messages", equalTo(bodies.size()));
        } finally {
            hub.leave(reader);
            hub.leave(slow);
            socket.finishAndReleaseAll();
            closedQuietly(small::finishAndReleaseAll);
        }
    }

    /** A publish to several channels, one of them with a full fan-out: refused as a whole, published nowhere. */
    @Test
    void aPublishToManyWithOneFullChannelIsRefusedAndPublishesNowhere() throws Exception {
        String full = "bound/" + UUID.randomUUID();
        String other = "bound/" + UUID.randomUUID();
        EmbeddedChannel socket = new EmbeddedChannel(new FlushCounter());
        Subscriber reader = subscriber(full, socket, 1 << 20);
        long queuedBefore = hub.fanOutQueuedBytes();
        try {
            List<CompletableFuture<HttpResponse<String>>> filling = new ArrayList<>();
            for (int m = 0; m < MAX_QUEUED / BODY; m++) {
                filling.add(post(full, body(m)));
                long queued = queuedBefore + (m + 1L) * BODY;
                await().atMost(Duration.ofSeconds(10)).until(() -> hub.fanOutQueuedBytes() == queued);
            }
            HttpResponse<String> refused = post(other + "?channel=" + full, body(99)).get(10, TimeUnit.SECONDS);
            assertEquals(503, refused.statusCode());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
            assertTrue(refused.body().contains("nothing was sent"), refused.body());
            withKey().get("/" + other).then().body("stat.sent_messages", equalTo(0));

            socket.runPendingTasks();
            for (CompletableFuture<HttpResponse<String>> answer : filling) {
                assertEquals(201, answer.get(10, TimeUnit.SECONDS).statusCode());
            }
            assertEquals(MAX_QUEUED / BODY, WrittenFrames.writes(socket).stream().mapToInt(List::size).sum(),
                    "the refused message never reached the full channel's subscriber");
            withKey().get("/" + full).then().body("stat.sent_messages", equalTo(MAX_QUEUED / BODY));
        } finally {
            hub.leave(reader);
            socket.finishAndReleaseAll();
        }
    }

    private Subscriber subscriber(String channel, EmbeddedChannel socket, int maxPendingBytes) {
        Subscriber subscriber = new Subscriber(channel, socket, maxPendingBytes, FrameForm.RAW);
        hub.join(subscriber);
        subscriber.opened(farewell -> socket.close());
        return subscriber;
    }

    /** The evicted socket reports the writes its close discarded (Vert.x drops them quietly; the embedded channel rethrows). */
    private static void closedQuietly(Runnable action) {
        try {
            action.run();
        } catch (Exception e) { // thrown unchecked by the embedded channel, so caught as Exception
            if (!(e instanceof ClosedChannelException)) {
                throw new AssertionError(e);
            }
        }
    }

    private static String body(int m) {
        String prefix = "message " + m + " ";
        return prefix + "x".repeat(BODY - prefix.length());
    }

    private CompletableFuture<HttpResponse<String>> post(String channel, String body) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/" + channel)).header("access-key", TestKey.KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int count;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            ctx.flush();
        }
    }
}
