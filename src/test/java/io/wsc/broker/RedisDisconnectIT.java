package io.wsc.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;
import io.wsc.client.SubscriberToken;
import io.wsc.client.WscClient;
import io.wsc.client.WscException;
import io.wsc.support.EventStreamClient;
import io.wsc.support.PackagedServer;
import io.wsc.support.RedisNodes;
import io.wsc.support.TestSubscriber;

/**
 * Disconnect across two packaged nodes on a real redis-server: a DELETE on one node closes the channel's subscribers
 * on both (counted cluster-wide), a client's connections close on both, and without Redis the DELETE answers 503.
 */
class RedisDisconnectIT {

    private static final String KEY = "disconnect-key";
    private static final String SECRET = "a-disconnect-token-secret-of-32-bytes-or-more";
    private static final String REASON = "disconnected by the backend";

    /** Null without a redis-server. */
    private static RedisNodes nodes;

    @BeforeAll
    static void startNodes() throws Exception {
        nodes = RedisNodes.start(KEY, Map.of("WSC_SUBSCRIBE_JWT_SECRET", SECRET)).orElse(null);
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static WscClient client(PackagedServer node) {
        return nodes.client(node);
    }

    private static String path(String channel, String sub) {
        return "/" + channel + "?token=" + SubscriberToken.mintFor(SECRET, Duration.ofMinutes(5), sub, null, channel);
    }

    private static void awaitPeers(String channel, int peers) {
        await().atMost(Duration.ofSeconds(10)).until(() -> client(nodes.first).stat(channel).peers() == peers);
    }

    private static void assertDisconnected(EventStreamClient stream) throws InterruptedException {
        EventStreamClient.Event last = stream.next();
        assertEquals("disconnected", last.type());
        assertEquals(new JsonObject().put("code", 4403).put("reason", REASON), new JsonObject(last.data()));
        assertTrue(stream.awaitEnd(Duration.ofSeconds(10)));
    }

    @Test
    void aDeleteOnOneNodeClosesTheChannelsSubscribersOnBoth() throws Exception {
        assumeTrue(nodes != null, "no redis-server");
        PackagedServer first = nodes.first;
        PackagedServer second = nodes.second;
        String channel = "disconnect/" + UUID.randomUUID();
        try (TestSubscriber onFirst = TestSubscriber.connect(first.base(), path(channel, "alice"));
                TestSubscriber onSecond = TestSubscriber.connect(second.base(), path(channel, "bob"));
                EventStreamClient streamOnSecond = EventStreamClient.connect(second.base(), path(channel, "carol"))) {
            assertEquals(200, streamOnSecond.status());
            awaitPeers(channel, 3);
            assertEquals(3, client(first).disconnect(channel), "counted cluster-wide");
            assertEquals(4403, onSecond.awaitClose());
            assertEquals(REASON, onSecond.closeReason);
            assertEquals(4403, onFirst.awaitClose());
            assertDisconnected(streamOnSecond);
            awaitPeers(channel, 0);
        }
    }

    @Test
    void aClientsConnectionsCloseOnEveryNodeAndOnlyTheirs() throws Exception {
        assumeTrue(nodes != null, "no redis-server");
        PackagedServer first = nodes.first;
        PackagedServer second = nodes.second;
        String room = "disconnect/" + UUID.randomUUID();
        String news = "disconnect/" + UUID.randomUUID();
        String sub = "alice-" + UUID.randomUUID();
        try (TestSubscriber aliceOnFirst = TestSubscriber.connect(first.base(), path(room, sub));
                EventStreamClient aliceOnSecond = EventStreamClient.connect(second.base(), path(news, sub));
                TestSubscriber bobOnSecond = TestSubscriber.connect(second.base(), path(room, "bob"))) {
            assertEquals(200, aliceOnSecond.status());
            awaitPeers(news, 1);
            client(first).disconnectClient(sub);
            assertEquals(4403, aliceOnFirst.awaitClose());
            assertDisconnected(aliceOnSecond);
            awaitPeers(room, 1);
            assertEquals(1, client(first).send(room, "bob stays").recipients());
            assertEquals("bob stays", bobOnSecond.next());
        }
    }

    @Test
    void withoutRedisADeleteAnswers503() throws Exception {
        assumeTrue(nodes != null, "no redis-server");
        PackagedServer first = nodes.first;
        PackagedServer second = nodes.second;
        nodes.redis.stop();
        try {
            WscException refused = assertThrows(WscException.class,
                    () -> client(first).disconnect("disconnect/" + UUID.randomUUID()));
            assertEquals(503, refused.statusCode());
            assertEquals(503, assertThrows(WscException.class, () -> client(second).disconnectClient("alice"))
                    .statusCode());
        } finally {
            nodes.redis.startAgain();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> first.readinessStatus() == 200 && second.readinessStatus() == 200);
        }
    }
}
