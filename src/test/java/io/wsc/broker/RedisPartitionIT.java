package io.wsc.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.wsc.client.WscClient;
import io.wsc.client.WscException;
import io.wsc.support.DeliveryLedger;
import io.wsc.support.NetworkNamespace;
import io.wsc.support.PackagedServer;
import io.wsc.support.RedisServer;
import io.wsc.support.SubscriberViews;
import io.wsc.support.TestSubscriber;

/**
 * A network partition between one node and Redis. Node B runs in a network namespace of its own: it reaches Redis over
 * one veth link and its clients (this test) over another. The test cuts the Redis link, so B's packets to Redis just
 * vanish (no reset, no error: only B's heartbeat and timeouts can tell), while a publisher goes on through node A. B
 * must notice by itself (readiness DOWN, publishes to it 503, never 201), come back by itself once the link heals, and
 * every subscriber of both nodes must still get every acknowledged message once and in order, or be told.
 * <p>
 * A cut alone leaves B's pub/sub connection open: TCP delivers what Redis sent once the link is back. On a long
 * partition Redis drops the connection (output buffer limit, tcp-keepalive), which B learns after the heal when the
 * close gets through; or Redis's end forgets it without a close that ever arrives (a restart, a load balancer's idle
 * timeout).
 * The tests have Redis do each of these meanwhile ({@link Meanwhile}).
 */
class RedisPartitionIT {

    private static final String KEY = "partition-key";
    /** How long the partition lasts once B noticed it. */
    private static final Duration HELD = Duration.ofSeconds(2);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private NetworkNamespace.Link redisLink;
    private RedisServer redis;
    private PackagedServer publishing;
    private PackagedServer cutOff;

    @AfterEach
    void stopAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) { // subscribers, then nodes, then Redis, then the namespace
            opened.get(i).close();
        }
    }

    /** Redis and node A on this host, node B in a namespace; with {@code historySize} 0, history is off. */
    private boolean cluster(int historySize) throws Exception {
        NetworkNamespace namespace = NetworkNamespace.create().orElse(null);
        if (namespace == null) {
            return false;
        }
        opened.add(namespace);
        redisLink = namespace.link();
        NetworkNamespace.Link clientLink = namespace.link();
        redis = RedisServer.startAlsoOn(redisLink.hostAddress).orElse(null);
        if (redis == null) {
            return false;
        }
        opened.add(redis);
        publishing = kept(PackagedServer.start(env(redis.url(), historySize)));
        Map<String, String> cutOffEnv = env(redis.url(redisLink.hostAddress), historySize);
        cutOffEnv.put("WSC_REDIS_TIMEOUT", "1s"); // with the heartbeat of 1 s: a silent Redis is noticed within 2 s
        cutOff = kept(PackagedServer.startIn(namespace, clientLink.insideAddress, cutOffEnv));
        publishing.awaitReady();
        cutOff.awaitReady();
        return true;
    }

    private static Map<String, String> env(String redisUrl, int historySize) {
        Map<String, String> env = new HashMap<>(Map.of("WSC_ACCESS_KEY", KEY, "WSC_BROKER", "redis",
                "QUARKUS_REDIS_HOSTS", redisUrl, "WSC_REDIS_HEARTBEAT", "1s", "WSC_HISTORY_TTL", "1h"));
        env.put("WSC_HISTORY_SIZE", String.valueOf(historySize));
        return env;
    }

    @Test
    void withHistoryAPartitionedNodeComesBackWithEveryMessage() throws Exception {
        assumeTrue(cluster(1000), "no network namespace or no redis-server");
        Partition partition = partitionWhilePublishing(Meanwhile.NOTHING);

        assertEquals(Map.of("raw", 0, "json", 0, "sse", 0), partition.losses, "B missed nothing");
        partition.subscribers.raw.forEach(raw -> assertFalse(raw.isClosed()));
        assertEquals(0, cutOff.metric("wsc_redis_losses_total{cause=\"link_lost\"}"));
    }

    @Test
    void withoutHistoryAPartitionedNodeLosesNothingSilently() throws Exception {
        assumeTrue(cluster(0), "no network namespace or no redis-server");
        Partition partition = partitionWhilePublishing(Meanwhile.NOTHING);

        // The first rule is checked by SubscriberViews; a raw subscriber that was told was told with 1012.
        for (TestSubscriber raw : partition.subscribers.raw) {
            if (raw.isClosed()) {
                assertEquals(1012, raw.awaitClose());
                assertEquals("messages lost; reconnect", raw.closeReason);
            }
        }
        assertFalse(partition.subscribers.raw.get(0).isClosed(), "node A's subscribers missed nothing");
    }

    @Test
    void withHistoryALinkRedisDropsDuringThePartitionIsRecovered() throws Exception {
        assumeTrue(cluster(1000), "no network namespace or no redis-server");
        Partition partition = partitionWhilePublishing(Meanwhile.REDIS_CLOSES_THE_LINK);

        assertEquals(Map.of("raw", 0, "json", 0, "sse", 0), partition.losses, "history holds all B missed");
        partition.subscribers.raw.forEach(raw -> assertFalse(raw.isClosed()));
        assertTrue(cutOff.metric("wsc_redis_recovered_total") > 0, "the missed messages came from history");
        assertEquals(0, cutOff.metric("wsc_redis_losses_total{cause=\"link_lost\"}"));
    }

    @Test
    void withoutHistoryALinkRedisDropsDuringThePartitionIsSignalled() throws Exception {
        assumeTrue(cluster(0), "no network namespace or no redis-server");
        Partition partition = partitionWhilePublishing(Meanwhile.REDIS_CLOSES_THE_LINK);

        assertEquals(1, partition.losses.get("raw"), "B's raw subscriber is closed: " + partition.losses);
        assertTrue(partition.losses.get("json") >= 1 && partition.losses.get("sse") >= 1, "B's get a gap: "
                + partition.losses);
        TestSubscriber onB = partition.subscribers.raw.get(1);
        assertEquals(1012, onB.awaitClose());
        assertEquals("messages lost; reconnect", onB.closeReason);
        assertFalse(partition.subscribers.raw.get(0).isClosed(), "node A's subscribers missed nothing");
        assertTrue(cutOff.metric("wsc_redis_losses_total{cause=\"link_lost\"}") >= 1);
        assertEquals(2, cutOff.metric("wsc_subscribers_closed_lost_total{cause=\"link_lost\"}"),
                "its raw view and the pacer");
    }

    /**
     * Redis forgets B's connections during the partition without B hearing of it (their resets are lost): after the
     * heal, B's idle pub/sub connection looks open but Redis no longer sends anything on it.
     */
    @Test
    void withHistoryALinkRedisForgetsDuringThePartitionIsFoundOut() throws Exception {
        assumeTrue(cluster(1000), "no network namespace or no redis-server");
        Partition partition = partitionWhilePublishing(Meanwhile.REDIS_FORGETS_THE_CONNECTIONS);

        assertEquals(Map.of("raw", 0, "json", 0, "sse", 0), partition.losses, "history holds all B missed");
        assertTrue(cutOff.metric("wsc_redis_recovered_total") > 0, "the missed messages came from history");
    }

    /** What happens at Redis's end while B is cut off. */
    private enum Meanwhile {
        NOTHING,
        /** Redis closes B's pub/sub connection (CLIENT KILL): B hears of it once TCP gets the close through. */
        REDIS_CLOSES_THE_LINK,
        /** This host aborts B's connections to Redis: the resets are lost, B is never told. */
        REDIS_FORGETS_THE_CONNECTIONS
    }

    /** The subscribers of both nodes after a partition, and the loss signals each kind got. */
    private record Partition(SubscriberViews subscribers, Map<String, Integer> losses) {
    }

    /**
     * Cuts B's link to Redis while A's publisher goes on, holds the partition for {@link #HELD} after B noticed (while
     * {@code meanwhile} happens at Redis's end), heals it, and checks every subscriber's view against the publisher's
     * ledger. Prints the timings: the report's figures.
     */
    private Partition partitionWhilePublishing(Meanwhile meanwhile) throws Exception {
        String channel = "partition/" + UUID.randomUUID();
        String refusedChannel = channel + "/published-to-b";
        SubscriberViews subscribers = new SubscriberViews(channel, List.of(publishing, cutOff), opened::add);
        // Tells when B delivers again what is published after the heal.
        TestSubscriber pacer = kept(TestSubscriber.connect(cutOff.base(), "/" + channel));
        // Sees whether publishes that B refused went out anyway (a 503 does not promise they did not).
        TestSubscriber refusedWatcher = kept(TestSubscriber.connect(publishing.base(), "/" + refusedChannel));
        DeliveryLedger ledger = new DeliveryLedger().start(client(publishing), channel, 5);
        Thread.sleep(500);

        int firstInCut = ledger.tried().size();
        redisLink.cut();
        long cutAt = System.nanoTime();
        DeliveryLedger refused = new DeliveryLedger().start(client(cutOff), refusedChannel, 50);
        long detected = awaitReadiness(cutOff, 503, cutAt, Duration.ofSeconds(15));
        WscException refusal = assertThrows(WscException.class, () -> client(cutOff).send(refusedChannel, "noticed"));
        assertEquals(503, refusal.statusCode(), "a publish to B once it noticed");
        assertEquals(200, publishing.readinessStatus(), "A still reaches Redis");
        if (meanwhile == Meanwhile.REDIS_CLOSES_THE_LINK) { // B's connections reach Redis at the link's host address
            assertEquals(":1", redis.command("CLIENT KILL TYPE pubsub LADDR " + redisLink.hostAddress + ":"
                    + redis.port));
        } else if (meanwhile == Meanwhile.REDIS_FORGETS_THE_CONNECTIONS) {
            redisLink.forgetConnections();
        }
        Thread.sleep(HELD.toMillis());
        refused.stop(); // before the heal: all it tried was during the partition

        int firstAfterHeal = ledger.tried().size();
        redisLink.heal();
        long healedAt = System.nanoTime();
        long readyAgain = awaitReadiness(cutOff, 200, healedAt, Duration.ofSeconds(30));
        long caughtUp = awaitDeliveryFrom(pacer, firstAfterHeal, healedAt, Duration.ofSeconds(10));
        Thread.sleep(1000);
        ledger.stop();

        List<String> acknowledged = ledger.acknowledged();
        long acknowledgedInCut = ledger.tried().subList(firstInCut, firstAfterHeal).stream()
                .filter(acknowledged::contains).count();
        assertTrue(acknowledgedInCut > 0, "A acknowledged messages during the partition");
        assertFalse(refused.tried().isEmpty());
        assertEquals(List.of(), refused.acknowledged(), "no publish to B got a 201 during the partition");
        // Receipts count B's subscribers again once it is back: 7 in all (each node's 3 views, and the pacer).
        System.out.println("subscribers counted after the partition: " + client(publishing).stat(channel).peers());
        Map<String, Integer> losses = subscribers.check(ledger);
        int refusedDelivered = refusedWatcher.received.size();
        System.out.printf("partition, meanwhile %s: B DOWN %d ms after the cut, UP %d ms after the heal, delivering"
                + " again %d ms after the heal; %d acknowledged during the partition; losses %s; recovered %s,"
                + " losses link_lost %s, sequence_hole %s; %d publishes to B refused, %d of them delivered after all%n",
                meanwhile, detected, readyAgain, caughtUp, acknowledgedInCut, losses,
                cutOff.metric("wsc_redis_recovered_total"),
                cutOff.metric("wsc_redis_losses_total{cause=\"link_lost\"}"),
                cutOff.metric("wsc_redis_losses_total{cause=\"sequence_hole\"}"), refused.tried().size() + 1,
                refusedDelivered);
        System.out.println("B's log: " + cutOff.log + "; A's log: " + publishing.log);
        return new Partition(subscribers, losses);
    }

    /** Milliseconds from {@code since} until the node's readiness answers {@code status}; fails after {@code limit}. */
    private static long awaitReadiness(PackagedServer node, int status, long since, Duration limit)
            throws InterruptedException {
        while (node.readinessStatus() != status) {
            assertTrue(System.nanoTime() - since < limit.toNanos(), "readiness not " + status + " within " + limit);
            Thread.sleep(50);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    /**
     * Milliseconds from {@code since} until the subscriber gets message {@code m-<first>} or a later one (or is closed,
     * which is its loss signal); -1 when nothing comes within {@code limit} (the views' check then says what is
     * missing). Frames are consumed: this subscriber is only a clock.
     */
    private static long awaitDeliveryFrom(TestSubscriber subscriber, int first, long since, Duration limit)
            throws InterruptedException {
        while (!subscriber.isClosed()) {
            Object frame = subscriber.received.poll(100, TimeUnit.MILLISECONDS);
            if (frame instanceof String text && Integer.parseInt(text.substring(2)) >= first) {
                break;
            }
            if (System.nanoTime() - since > limit.toNanos()) {
                return -1;
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    private <T extends AutoCloseable> T kept(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private static WscClient client(PackagedServer node) {
        return WscClient.builder().baseUri(node.base()).accessKey(KEY).build();
    }
}
