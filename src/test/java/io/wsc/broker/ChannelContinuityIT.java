package io.wsc.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.wsc.client.WscClient;
import io.wsc.support.DeliveryLedger;
import io.wsc.support.PackagedServer;
import io.wsc.support.RedisServer;
import io.wsc.support.SubscriberViews;
import io.wsc.support.TestSubscriber;

/**
 * A node's Redis link drops, or Redis itself dies, while a publisher keeps going: every acknowledged message still
 * reaches the raw, JSON and event-stream subscribers of both nodes once and in order, or they are told (gap frame,
 * gap event, close 1012).
 */
class ChannelContinuityIT {

    private static final String KEY = "continuity-key";

    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisServer redis;
    private PackagedServer publishing;
    private PackagedServer serving;

    @AfterEach
    void stopAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) { // subscribers, then nodes, then Redis
            opened.get(i).close();
        }
    }

    /** Two nodes on one Redis; with {@code historySize} 0, history is off. */
    private boolean cluster(boolean persistent, int historySize) throws Exception {
        redis = (persistent ? RedisServer.startPersistent() : RedisServer.start()).orElse(null);
        if (redis == null) {
            return false;
        }
        opened.add(redis);
        publishing = node(historySize);
        serving = node(historySize);
        return true;
    }

    private PackagedServer node(int historySize) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("WSC_ACCESS_KEY", KEY, "WSC_BROKER", "redis",
                "QUARKUS_REDIS_HOSTS", redis.url(), "WSC_REDIS_HEARTBEAT", "1s", "WSC_HISTORY_TTL", "1h"));
        env.put("WSC_HISTORY_SIZE", String.valueOf(historySize));
        PackagedServer node = PackagedServer.startReady(env);
        opened.add(node);
        return node;
    }

    @Test
    void withHistoryALinkThatDropsLosesNothingAndRepeatsNothing() throws Exception {
        assumeTrue(cluster(false, 1000), "no redis-server");
        String channel = "continuity/" + UUID.randomUUID();
        SubscriberViews subscribers = new SubscriberViews(channel, List.of(publishing, serving), opened::add);
        DeliveryLedger ledger = new DeliveryLedger().start(client(publishing), channel, 5);
        dropPubSubLinks();
        ledger.stop();

        Map<String, Integer> losses = subscribers.check(ledger);
        assertEquals(Map.of("raw", 0, "json", 0, "sse", 0), losses, "history holds all that was missed");
        subscribers.raw.forEach(raw -> assertFalse(raw.isClosed()));
        assertTrue(serving.metric("wsc_redis_recovered_total") > 0, "the missed messages came from history");
        assertEquals(0, serving.metric("wsc_redis_losses_total{cause=\"link_lost\"}"));
    }

    @Test
    void withoutHistoryALinkThatDropsIsSignalledToEverySubscriber() throws Exception {
        assumeTrue(cluster(false, 0), "no redis-server");
        String channel = "continuity/" + UUID.randomUUID();
        SubscriberViews subscribers = new SubscriberViews(channel, List.of(publishing, serving), opened::add);
        DeliveryLedger ledger = new DeliveryLedger().start(client(publishing), channel, 5);
        dropPubSubLinks();
        ledger.stop();

        Map<String, Integer> losses = subscribers.check(ledger);
        assertEquals(2, losses.get("raw"), "each raw subscriber is closed: " + losses);
        assertTrue(losses.get("json") >= 2 && losses.get("sse") >= 2, "each gets a gap: " + losses);
        for (TestSubscriber raw : subscribers.raw) {
            assertEquals(1012, raw.awaitClose());
            assertEquals("messages lost; reconnect", raw.closeReason);
        }
        assertTrue(serving.metric("wsc_redis_losses_total{cause=\"link_lost\"}") >= 1);
        assertEquals(1, serving.metric("wsc_subscribers_closed_lost_total{cause=\"link_lost\"}"));
        // The page reconnects (as the README's snippet does) and gets what is published from then on.
        try (TestSubscriber again = TestSubscriber.connect(serving.base(), "/" + channel)) {
            assertEquals(5, client(publishing).send(channel, "after").recipients(), "2 JSON, 2 SSE and the new one");
            assertEquals("after", again.next());
        }
    }

    @Test
    void redisKilledWithoutPersistence() throws Exception {
        assumeTrue(cluster(false, 1000), "no redis-server");
        killRedisWhilePublishing(false);
    }

    @Test
    void redisKilledWithPersistence() throws Exception {
        assumeTrue(cluster(true, 1000), "no redis-server");
        killRedisWhilePublishing(true);
    }

    /**
     * Publishes answer 503 while Redis is dead, never 201; afterwards each subscriber has every acknowledged message or
     * a signal; with an append-only file, Redis still holds all of them and nothing is signalled.
     */
    private void killRedisWhilePublishing(boolean persistent) throws Exception {
        String channel = "killed/" + UUID.randomUUID();
        SubscriberViews subscribers = new SubscriberViews(channel, List.of(publishing, serving), opened::add);
        DeliveryLedger ledger = new DeliveryLedger().start(client(publishing), channel, 5);
        Thread.sleep(500);
        redis.kill();
        Thread.sleep(300); // publishes in flight at the kill are answered by now
        int before = ledger.tried().size();
        Thread.sleep(1000);
        List<String> duringOutage = ledger.tried().subList(before, ledger.tried().size() - 1);
        redis.startAgain();
        await().atMost(Duration.ofSeconds(20)).until(() -> publishing.readinessStatus() == 200
                && serving.readinessStatus() == 200);
        Thread.sleep(1000);
        ledger.stop();

        assertFalse(duringOutage.isEmpty());
        List<String> acknowledged = ledger.acknowledged();
        duringOutage.forEach(message -> assertFalse(acknowledged.contains(message), message + " got a 201"));
        Map<String, Integer> losses = subscribers.check(ledger);
        if (persistent) {
            assertEquals(Map.of("raw", 0, "json", 0, "sse", 0), losses, "Redis kept every acknowledged message");
        }
    }

    /** Kills both nodes' pub/sub connections twice while the publisher goes on, as a failover or a proxy restart does. */
    private void dropPubSubLinks() throws Exception {
        for (int i = 0; i < 2; i++) {
            Thread.sleep(400);
            assertTrue(redis.command("CLIENT KILL TYPE pubsub").matches(":[1-9]\\d*"), "pub/sub connections killed");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> publishing.readinessStatus() == 200
                && serving.readinessStatus() == 200);
        Thread.sleep(400);
    }

    private static WscClient client(PackagedServer node) {
        return WscClient.builder().baseUri(node.base()).accessKey(KEY).build();
    }
}
