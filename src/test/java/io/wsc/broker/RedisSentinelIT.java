package io.wsc.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import io.wsc.client.WscClient;
import io.wsc.support.DeliveryLedger;
import io.wsc.support.EventStreamClient;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.PackagedServer;
import io.wsc.support.RedisCli;
import io.wsc.support.RedisSentinelGroup;
import io.wsc.support.SubscriberViews;
import io.wsc.support.TestSubscriber;

/**
 * Two nodes on a Redis Sentinel group while a publisher keeps going: the master is failed over, or killed, and the
 * sentinels promote its replica. Every acknowledged message still reaches the raw, JSON and event-stream subscribers of
 * both nodes once and in order, or they are told; both nodes follow the new master by themselves.
 * <p>
 * After {@code SENTINEL FAILOVER} the old master stays a master for about ten seconds, until a sentinel demotes it (and
 * drops its clients). Meanwhile a node's new command connections already reach the new master while its pub/sub link
 * is still on the old one: both get publishes, and the two histories fork. The test waits until the demotion is over,
 * and asks only what the first rule asks: what the fork hides may be signalled, never lost silently or repeated.
 */
class RedisSentinelIT {

    private static final String KEY = "sentinel-key";
    /** Readiness must hold this long on both nodes before the group counts as followed. */
    private static final Duration STEADY = Duration.ofSeconds(2);

    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisSentinelGroup group;
    private PackagedServer publishing;
    private PackagedServer serving;

    /** A failure says what the nodes logged: the violation alone does not tell when each node lost or found Redis. */
    @RegisterExtension
    final TestWatcher nodeLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (PackagedServer node : new PackagedServer[] { publishing, serving }) {
                try {
                    System.out.println("---- node on " + (node == null ? "-" : node.httpPort) + ":\n"
                            + (node == null ? "" : node.output()));
                } catch (Exception e) {
                    System.out.println("no log: " + e);
                }
            }
        }
    };

    @AfterEach
    void stopAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) { // subscribers, then nodes, then the group
            opened.get(i).close();
        }
    }

    /** A sentinel group and two nodes on it; with {@code historySize} 0, history is off. */
    private boolean nodes(int historySize) throws Exception {
        group = RedisSentinelGroup.start("wsc-it").orElse(null);
        if (group == null) {
            return false;
        }
        opened.add(group);
        publishing = node(historySize);
        serving = node(historySize);
        publishing.awaitReady();
        serving.awaitReady();
        return true;
    }

    /** Started, not yet ready: the two JVMs start side by side. */
    private PackagedServer node(int historySize) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("WSC_ACCESS_KEY", KEY, "WSC_BROKER", "redis",
                "QUARKUS_REDIS_CLIENT_TYPE", "sentinel", "QUARKUS_REDIS_HOSTS", group.sentinelHosts(),
                "QUARKUS_REDIS_MASTER_NAME", group.masterName(), "WSC_REDIS_HEARTBEAT", "1s",
                "WSC_HISTORY_TTL", "1h"));
        env.put("WSC_HISTORY_SIZE", String.valueOf(historySize));
        PackagedServer node = PackagedServer.start(env);
        opened.add(node);
        return node;
    }

    @Test
    void aFailoverWithHistoryLosesNothingSilentlyAndTheNodesFollowTheNewMaster() throws Exception {
        assumeTrue(nodes(1000), "no redis-server, redis-sentinel or redis-cli");
        String channel = "sentinel/" + UUID.randomUUID();
        SubscriberViews subscribers = new SubscriberViews(channel, List.of(publishing, serving), opened::add);
        DeliveryLedger ledger = new DeliveryLedger().start(client(publishing), channel, 5);
        Thread.sleep(500);
        int old = group.masterPort();
        group.failover();
        int promoted = group.masterPort();
        group.awaitSteady(); // the old master demoted: the nodes were dropped from it and had to find the new one
        awaitSteadyReadiness();
        ledger.stop();

        assertNotEquals(old, promoted);
        Map<String, Integer> losses = subscribers.check(ledger);
        report("failover", ledger, losses);
        assertEverySubscriberStillConnectedGets(channel, subscribers);
        List<String> newest = RedisCli.lines(promoted, "XREVRANGE", "wsc:history:{" + channel + "}", "+", "-",
                "COUNT", "1");
        assertTrue(newest.stream().anyMatch(field -> field.endsWith("after")), "the new master keeps the history: "
                + newest);
    }

    @Test
    void aKilledMasterWithoutHistoryAnswers503UntilTheReplicaIsPromoted() throws Exception {
        assumeTrue(nodes(0), "no redis-server, redis-sentinel or redis-cli");
        String channel = "sentinel/" + UUID.randomUUID();
        SubscriberViews subscribers = new SubscriberViews(channel, List.of(publishing, serving), opened::add);
        DeliveryLedger ledger = new DeliveryLedger().start(client(publishing), channel, 5);
        Thread.sleep(500);
        int old = group.masterPort();
        CompletableFuture<Void> promotion = CompletableFuture.runAsync(() -> {
            try {
                group.killMaster();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (RedisCli.run(old, "PING").exitCode() == 0) {
            Thread.sleep(10);
        }
        // Sent after the master died, and answered before any sentinel may promote (a master is down after 1 s of
        // silence): no master to write to. Answers that come later may be 201 (the new one took it), or not.
        Instant killedAt = Instant.now();
        int from = ledger.tried().size();
        Thread.sleep(800);
        Map<String, Integer> duringOutage = new HashMap<>();
        ledger.tried().subList(from, ledger.tried().size()).forEach(message -> {
            if (ledger.answer(message) != null) {
                duringOutage.put(message, ledger.answer(message));
            }
        });
        promotion.get(30, TimeUnit.SECONDS);
        System.out.println("promotion seen by every sentinel after " + Duration.between(killedAt, Instant.now()));
        awaitSteadyReadiness();
        ledger.stop();

        assertNotEquals(old, group.masterPort());
        assertFalse(duringOutage.isEmpty());
        duringOutage.forEach((message, answer) -> assertEquals(503, answer, message + " answered without a master"));
        Map<String, Integer> losses = subscribers.check(ledger);
        report("killed master", ledger, losses);
        assertEverySubscriberStillConnectedGets(channel, subscribers);
    }

    /**
     * A publish after the switch is answered 201 (a node still on the demoted master would get READONLY: 503), counts
     * every subscriber still connected (a raw one told of a loss was closed), and reaches each of them.
     */
    private void assertEverySubscriberStillConnectedGets(String channel, SubscriberViews subscribers)
            throws Exception {
        List<TestSubscriber> raw = subscribers.raw.stream().filter(subscriber -> !subscriber.isClosed()).toList();
        int connected = raw.size() + subscribers.json.size() + subscribers.streams.size();
        assertEquals(connected, client(publishing).send(channel, "after").recipients(), "recipients after the switch");
        for (TestSubscriber subscriber : raw) {
            assertEquals("after", subscriber.next());
        }
        for (JsonSubscriber subscriber : subscribers.json) {
            assertEquals("after", subscriber.next().getString("data"));
        }
        for (EventStreamClient subscriber : subscribers.streams) {
            assertEquals("after", subscriber.next().data());
        }
    }

    /** Until both nodes have been ready for {@link #STEADY} in a row: readiness may flap while they change masters. */
    private void awaitSteadyReadiness() throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(40);
        Instant upSince = null;
        while (upSince == null || Duration.between(upSince, Instant.now()).compareTo(STEADY) < 0) {
            assertTrue(Instant.now().isBefore(deadline), "both nodes ready again within 40 s");
            boolean up = publishing.readinessStatus() == 200 && serving.readinessStatus() == 200;
            upSince = up ? (upSince == null ? Instant.now() : upSince) : null;
            Thread.sleep(100);
        }
    }

    /** What happened, in the test's output: the figures a reader of a failure (or of a change in behaviour) wants. */
    private void report(String what, DeliveryLedger ledger, Map<String, Integer> losses) throws Exception {
        StringBuilder line = new StringBuilder(what + ": tried " + ledger.tried().size() + ", acknowledged "
                + ledger.acknowledged().size() + ", loss signals " + losses);
        for (PackagedServer node : List.of(publishing, serving)) {
            line.append("; node ").append(node.httpPort).append(" recovered ")
                    .append(node.metric("wsc_redis_recovered_total")).append(" link_lost ")
                    .append(node.metric("wsc_redis_losses_total{cause=\"link_lost\"}")).append(" redis_reset ")
                    .append(node.metric("wsc_redis_losses_total{cause=\"redis_reset\"}")).append(" sequence_hole ")
                    .append(node.metric("wsc_redis_losses_total{cause=\"sequence_hole\"}"));
        }
        System.out.println(line);
    }

    private static WscClient client(PackagedServer node) {
        return WscClient.builder().baseUri(node.base()).accessKey(KEY).build();
    }
}
