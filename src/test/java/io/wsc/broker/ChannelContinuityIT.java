package io.wsc.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

import io.vertx.core.json.JsonObject;
import io.wsc.client.WscClient;
import io.wsc.support.DeliveryLedger;
import io.wsc.support.DeliveryLedger.Seen;
import io.wsc.support.EventStreamClient;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.PackagedServer;
import io.wsc.support.RedisServer;
import io.wsc.support.TestSubscriber;

/**
 * A node's Redis link drops, or Redis itself dies, while a publisher keeps going: every acknowledged message still
 * reaches the raw, JSON and event-stream subscribers of both nodes once and in order, or they are told (gap frame,
 * gap event, close 1012).
 */
class ChannelContinuityIT {

    private static final String KEY = "continuity-key";
    private static final Duration QUIET = Duration.ofSeconds(3);

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

    /** The three kinds of subscriber on each node. */
    private final class Subscribers {
        final List<TestSubscriber> raw = new ArrayList<>();
        final List<JsonSubscriber> json = new ArrayList<>();
        final List<EventStreamClient> streams = new ArrayList<>();

        Subscribers(String channel) throws Exception {
            for (PackagedServer node : List.of(publishing, serving)) {
                raw.add(keep(TestSubscriber.connect(node.base(), "/" + channel)));
                json.add(keep(JsonSubscriber.connect(node.base(), "/" + channel)));
                streams.add(keep(EventStreamClient.connect(node.base(), "/" + channel)));
            }
        }

        /** Every subscriber's view, checked against the ledger; returns the loss signals each kind got. */
        Map<String, Integer> check(DeliveryLedger ledger) throws Exception {
            String last = ledger.tried().get(ledger.tried().size() - 1);
            Map<String, Integer> losses = new HashMap<>(Map.of("raw", 0, "json", 0, "sse", 0));
            for (TestSubscriber subscriber : raw) {
                losses.merge("raw", count(assertKeeps(ledger, "raw", seen(subscriber, last))), Integer::sum);
            }
            for (JsonSubscriber subscriber : json) {
                losses.merge("json", count(assertKeeps(ledger, "json", seen(subscriber, last))), Integer::sum);
            }
            for (EventStreamClient subscriber : streams) {
                losses.merge("sse", count(assertKeeps(ledger, "sse", seen(subscriber, last))), Integer::sum);
            }
            return losses;
        }
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    @Test
    void withHistoryALinkThatDropsLosesNothingAndRepeatsNothing() throws Exception {
        assumeTrue(cluster(false, 1000), "no redis-server");
        String channel = "continuity/" + UUID.randomUUID();
        Subscribers subscribers = new Subscribers(channel);
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
        Subscribers subscribers = new Subscribers(channel);
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
        Subscribers subscribers = new Subscribers(channel);
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

    private static List<Seen> assertKeeps(DeliveryLedger ledger, String kind, List<Seen> seen) {
        assertNull(ledger.violation(seen), kind + " subscriber saw " + seen);
        return seen;
    }

    private static int count(List<Seen> seen) {
        return (int) seen.stream().filter(Seen::isLoss).count();
    }

    /** Frames until {@code last} or a close; a close with 1012 is the raw subscriber's loss signal. */
    private static List<Seen> seen(TestSubscriber subscriber, String last) throws InterruptedException {
        List<Seen> seen = new ArrayList<>();
        for (Object frame = subscriber.received.poll(QUIET.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                frame != null; frame = subscriber.received.poll(QUIET.toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS)) {
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

    private static WscClient client(PackagedServer node) {
        return WscClient.builder().baseUri(node.base()).accessKey(KEY).build();
    }
}
