package io.wsc.http;

import static io.wsc.http.ShortTimeoutsProfile.KEEP_ALIVE_MILLIS;
import static io.wsc.support.TestKey.withKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.Subscriber;
import io.wsc.support.EventStreamClient;
import io.wsc.support.TestSubscriber;

/**
 * Subscribers are not HTTP requests in progress: a WebSocket and an event stream that stay quiet for longer than every
 * timeout stay open, and while slow and half-open clients are being cut off around them, they and the publishers
 * lose nothing.
 */
@QuarkusTest
@TestProfile(ShortTimeoutsProfile.class)
class QuietSubscribersTest {

    private static final int HOSTILE = 20;
    private static final int MESSAGES = 100;

    @TestHTTPResource("/")
    URI base;

    @Inject
    ChannelHub hub;

    @Test
    void quietSubscribersOutliveEveryTimeoutAndMissNothingWhileSlowClientsAreCut() throws Exception {
        String channel = "quiet/" + UUID.randomUUID();
        List<SlowClient> hostile = new ArrayList<>();
        try (TestSubscriber socket = TestSubscriber.connect(base, "/" + channel);
                EventStreamClient stream = EventStreamClient.connect(base, "/" + channel,
                        Map.of("Accept", "text/event-stream"))) {
            assertEquals(200, stream.status(), stream.body());
            for (int i = 0; i < HOSTILE; i++) {
                SlowClient client = SlowClient.connect(base);
                client.send(i % 2 == 0 ? "POST /" + channel + " HTTP/1.1\r\nHost: x\r\n" : "G");
                hostile.add(client);
            }
            for (Subscriber subscriber : hub.subscribers()) {
                if (subscriber.channelId().equals(channel)) {
                    assertNull(subscriber.socket().pipeline().get(HttpDeadlines.NAME), "a subscriber has no deadlines");
                    assertNull(subscriber.socket().pipeline().get(HttpExchangeWatch.NAME));
                }
            }
            // Quiet for longer than the header, body and keep-alive timeouts (pings every 30 s, heartbeats every 15 s).
            assertTrue(socket.staysSilent(Duration.ofMillis(KEEP_ALIVE_MILLIS * 2)));
            for (SlowClient client : hostile) {
                SlowClient.Ending ending = client.awaitEnd(ConnectionTimeoutsTest.SLACK_MILLIS);
                assertTrue(ending.closed(), "a slow client is gone: " + ending);
            }
            assertFalse(socket.isClosed(), "the quiet WebSocket is still open");
            for (int i = 0; i < MESSAGES; i++) {
                withKey().contentType("text/plain").body(("m" + i).getBytes(StandardCharsets.UTF_8))
                        .post("/" + channel).then().statusCode(201);
            }
            for (int i = 0; i < MESSAGES; i++) {
                assertEquals("m" + i, socket.next());
                assertEquals("m" + i, stream.next().data());
            }
        } finally {
            for (SlowClient client : hostile) {
                client.close();
            }
        }
    }
}
