package io.wsc.ws;

import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.http.UpgradeRejectedException;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.Subscriber;
import io.wsc.support.RawWebSocket;
import io.wsc.support.TestSubscriber;

/** The WebSocket half of the wire contract, with real clients over real sockets. */
@QuarkusTest
class ChannelSocketTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    ChannelHub hub;

    @Inject
    OpenConnections connections;

    static String uniqueChannel() {
        return "ws/" + UUID.randomUUID();
    }

    static void publish(String path, String body) {
        withKey().contentType("text/plain; charset=utf-8")
                .body(body.getBytes(StandardCharsets.UTF_8)).post(path).then().statusCode(201);
    }

    @Test
    void subscriberReceivesTheBodyUnchanged() throws Exception {
        String channel = uniqueChannel();
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel)) {
            String body = "{\"text\": \"héllo\", \"n\": 1}\n  with spaces  ";
            withKey().contentType("application/json")
                    .body(body.getBytes(StandardCharsets.UTF_8)).post("/" + channel)
                    .then().statusCode(201).body("recipients", equalTo(1));
            assertEquals(body, subscriber.next());
        }
    }

    @Test
    void namesAreNormalisedOnBothSides() throws Exception {
        String channel = uniqueChannel();
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel.toUpperCase() + "/")) {
            publish("/" + channel, "one");
            publish("//" + channel + "//", "two");
            assertEquals("one", subscriber.next());
            assertEquals("two", subscriber.next());
        }
    }

    @Test
    void rootChannel() throws Exception {
        try (TestSubscriber root = TestSubscriber.connect(base, "/")) {
            withKey().body("to the root").post("/")
                    .then().statusCode(201).body("recipients", equalTo(1));
            assertEquals("to the root", root.next());
        }
    }

    @Test
    void octetStreamBecomesABinaryFrame() throws Exception {
        String channel = uniqueChannel();
        byte[] body = { 0, (byte) 0xFF, (byte) 0xC3, 0x28, 10 };
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel)) {
            withKey().contentType("application/octet-stream").body(body).post("/" + channel)
                    .then().statusCode(201).body("content_length", equalTo(5));
            assertArrayEquals(body, (byte[]) subscriber.next());
        }
    }

    @Test
    void largestMessageArrivesWhole() throws Exception {
        String channel = uniqueChannel();
        String body = "x".repeat(1048576);
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel)) {
            publish("/" + channel, body);
            assertTrue(body.equals(subscriber.next()), "1 MiB of 'x' arrives unchanged");
        }
    }

    @Test
    void statsCountPeersMessagesAndDeliveredBytes() throws Exception {
        String channel = uniqueChannel();
        try (TestSubscriber a = TestSubscriber.connect(base, "/" + channel);
                TestSubscriber b = TestSubscriber.connect(base, "/" + channel)) {
            withKey().body("é".getBytes(StandardCharsets.UTF_8)).post("/" + channel)
                    .then().statusCode(201).body("content_length", equalTo(2)).body("recipients", equalTo(2));
            publish("/" + channel, "abc");
            a.next();
            b.next();
            withKey().get("/" + channel).then().statusCode(200)
                    .body("stat.peers", equalTo(2))
                    .body("stat.sent_messages", equalTo(2))
                    .body("stat.sent_bytes", equalTo((2 + 3) * 2));
        }
    }

    /** Subscribers are idle by design: the HTTP idle timeout's handler (and its timer) goes once the socket is open. */
    @Test
    void anOpenSubscriberKeepsNoHttpIdleTimeout() throws Exception {
        String channel = uniqueChannel();
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel)) {
            publish("/" + channel, "open"); // held until @OnOpen has run, so its arrival means the socket is open
            assertEquals("open", subscriber.next());
            Subscriber joined = hub.subscribers().stream().filter(s -> s.channelId().equals(channel)).findFirst()
                    .orElseThrow();
            assertNull(joined.socket().pipeline().get("idle"));
        }
    }

    @Test
    void peersDropWhenSubscribersClose() {
        String channel = uniqueChannel();
        TestSubscriber a = TestSubscriber.connect(base, "/" + channel);
        TestSubscriber b = TestSubscriber.connect(base, "/" + channel);
        awaitPeers(channel, 2);
        a.close();
        awaitPeers(channel, 1);
        b.close();
        awaitPeers(channel, 0);
    }

    @Test
    void browserFramesAreIgnoredAndTheConnectionStaysOpen() throws Exception {
        String channel = uniqueChannel();
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel)) {
            subscriber.sendText("hello server");
            subscriber.sendFrameOfSize(100);
            assertTrue(subscriber.staysSilent(Duration.ofMillis(500)), "the server must not answer or echo");
            assertFalse(subscriber.isClosed());
            publish("/" + channel, "still here");
            assertEquals("still here", subscriber.next());
        }
    }

    @Test
    void clientFrameOver64KibClosesTheConnection() {
        String channel = uniqueChannel();
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel)) {
            subscriber.sendFrameOfSize(65536);
            assertFalse(subscriber.isClosed(), "64 KiB is the largest accepted frame");
            subscriber.sendFrameOfSize(65537);
            assertEquals(1009, subscriber.awaitClose());
            awaitPeers(channel, 0);
        }
    }

    @Test
    void invalidChannelNamesAreRefusedAtUpgrade() {
        assertUpgradeRefused("/" + "a".repeat(256), 400);
        assertUpgradeRefused("/a%01b", 400);
        assertUpgradeRefused("/q/anything", 404);
    }

    @Test
    void malformedPathsAreRefusedAtUpgrade() throws Exception {
        for (String path : new String[] { "/a%zz", "/a%00", "/%C3%28", "/" + "b".repeat(300) }) {
            try (RawWebSocket raw = RawWebSocket.upgrade(base, path, 65536)) {
                assertEquals(400, raw.status(), path);
            }
        }
    }

    @Test
    void anOpenConnectionKeepsOnlyTheHandshakesHeaders() throws Exception {
        String channel = uniqueChannel();
        Map<String, String> browserHeaders = Map.of("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0",
                "Cookie", "session=" + "c".repeat(200), "Accept-Language", "en-GB,en;q=0.9",
                "Cache-Control", "no-cache", "Pragma", "no-cache");
        try (TestSubscriber subscriber = TestSubscriber.connectAsync(base, "/" + channel, browserHeaders,
                List.of("wsc.v1.json")).get()) {
            WebSocketConnection connection = openConnectionTo(channel);
            Map<String, List<String>> kept = connection.handshakeRequest().headers();
            assertTrue(kept.keySet().stream().allMatch(name -> name.equalsIgnoreCase("host")
                    || name.equalsIgnoreCase("upgrade") || name.equalsIgnoreCase("connection")
                    || name.toLowerCase().startsWith("sec-websocket-")), kept.keySet().toString());
            assertTrue(kept.keySet().stream().anyMatch("sec-websocket-key"::equalsIgnoreCase), kept.keySet().toString());
            publish("/" + channel, "after the upgrade");
            assertTrue(String.valueOf(subscriber.next()).contains("after the upgrade"), "the handshake and delivery still work");
        }
    }

    /** websockets-next lists a connection once it is open, which can be just after the client saw the 101. */
    private WebSocketConnection openConnectionTo(String channel) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            var found = connections.stream().filter(open -> open.handshakeRequest().path().contains(channel)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no open connection to " + channel + " among " + connections.listAll().size());
    }

    private void assertUpgradeRefused(String path, int status) {
        AssertionError failure = assertThrows(AssertionError.class, () -> TestSubscriber.connect(base, path));
        assertTrue(failure.getCause().getCause() instanceof UpgradeRejectedException rejected
                && rejected.getStatus() == status, path + " -> " + failure.getCause());
    }

}
