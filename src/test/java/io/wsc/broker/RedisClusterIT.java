package io.wsc.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;
import io.wsc.client.ChannelPresence;
import io.wsc.client.ChannelStats;
import io.wsc.client.SubscriberToken;
import io.wsc.client.WscClient;
import io.wsc.client.WscException;
import io.wsc.support.DeliveryLedger;
import io.wsc.support.DeliveryLedger.Seen;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.PackagedServer;
import io.wsc.support.RedisClusterGroup;
import io.wsc.support.SubscriberViews;
import io.wsc.support.TestSubscriber;
import io.wsc.support.WebhookReceiver;

/**
 * Two nodes on a Redis Cluster of three masters (sharded pub/sub, each channel's keys in one slot): channels on every
 * shard keep the first rule whichever node publishes, numbers are cluster-wide, a subscriber resumes on the other
 * node, and a shard's pub/sub link that drops loses nothing.
 */
class RedisClusterIT {

    private static final String KEY = "cluster-key";
    /** Subscribers of a channel in {@link SubscriberViews}: raw, JSON and event stream on each of two nodes. */
    private static final int VIEWS = 6;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisClusterGroup redis;
    private PackagedServer first;
    private PackagedServer second;

    @AfterEach
    void stopAll() throws Exception {
        for (PackagedServer node : new PackagedServer[] { first, second }) {
            if (node != null) { // kept for a failure's post-mortem
                System.err.println("node log: " + node.log + ", warnings: " + node.warningsAndErrors());
            }
        }
        for (int i = opened.size() - 1; i >= 0; i--) { // subscribers, then nodes, then Redis
            opened.get(i).close();
        }
    }

    /** The cluster and two nodes on it, history on. */
    private boolean cluster() throws Exception {
        redis = RedisClusterGroup.start().orElse(null);
        if (redis == null) {
            return false;
        }
        opened.add(redis);
        first = node();
        second = node();
        return true;
    }

    private PackagedServer node() throws Exception {
        return node(Map.of());
    }

    private PackagedServer node(Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("WSC_ACCESS_KEY", KEY, "WSC_BROKER", "redis",
                "QUARKUS_REDIS_CLIENT_TYPE", "cluster", "QUARKUS_REDIS_HOSTS", redis.hosts(),
                "WSC_REDIS_HEARTBEAT", "1s", "WSC_HISTORY_SIZE", "1000", "WSC_HISTORY_TTL", "1h"));
        env.putAll(extra);
        PackagedServer node = PackagedServer.startReady(env);
        opened.add(node);
        return node;
    }

    /**
     * A DELETE goes by the control channel, on one shard, whatever shard the channel's slot is on: the other node closes
     * its subscribers of a channel on every shard, counted cluster-wide.
     */
    @Test
    void aDisconnectReachesTheOtherNodeForAChannelOnEveryShard() throws Exception {
        assumeTrue(cluster(), "no redis-server or redis-cli");
        for (String channel : channelOnEachMaster().values()) {
            try (TestSubscriber onSecond = TestSubscriber.connect(second.base(), "/" + channel)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> client(first).stat(channel).peers() == 1);
                assertEquals(1, client(first).disconnect(channel));
                assertEquals(4403, onSecond.awaitClose(), channel);
            }
        }
    }

    /** Presence's keys share the channel's slot and its events go by sharded pub/sub: it works on every shard. */
    @Test
    void presenceJoinsAndLeavesOnEveryShard() throws Exception {
        redis = RedisClusterGroup.start().orElse(null);
        assumeTrue(redis != null, "no redis-server or redis-cli");
        opened.add(redis);
        String secret = "a-presence-token-secret-of-32-bytes-or-more";
        first = node(Map.of("WSC_SUBSCRIBE_JWT_SECRET", secret));
        second = node(Map.of("WSC_SUBSCRIBE_JWT_SECRET", secret));
        for (String channel : channelOnEachMaster().values()) {
            JsonSubscriber watcher = JsonSubscriber.connect(first.base(), "/" + channel + "?presence=events&token="
                    + SubscriberToken.mint(secret, Duration.ofMinutes(5), channel));
            opened.add(watcher);
            assertEquals(new JsonObject().put("type", "presence").put("channel", channel).put("clients",
                    new io.vertx.core.json.JsonArray()).put("truncated", false), watcher.next(), "nobody there yet");
            JsonObject join = new JsonObject().put("type", "join").put("channel", channel)
                    .put("client", new JsonObject().put("sub", "alice"));
            try (JsonSubscriber alice = JsonSubscriber.connect(second.base(), "/" + channel + "?token="
                    + SubscriberToken.mintFor(secret, Duration.ofMinutes(5), "alice", null, channel))) {
                assertEquals(join, watcher.next());
                assertEquals(List.of(new ChannelPresence.Client("alice", Map.of(), 1)),
                        client(first).presence(channel).clients());
            }
            assertEquals(join.copy().put("type", "leave"), watcher.next());
            assertEquals(List.of(), client(second).presence(channel).clients());
        }
    }

    /** The webhook state shares each channel's slot too: a channel on every shard is occupied and vacated once. */
    @Test
    void webhooksAreSentOnceForTheClusterOnEveryShard() throws Exception {
        redis = RedisClusterGroup.start().orElse(null);
        assumeTrue(redis != null, "no redis-server or redis-cli");
        opened.add(redis);
        WebhookReceiver receiver = new WebhookReceiver();
        opened.add(receiver);
        String secret = "a-webhook-token-secret-of-32-bytes-or-more";
        Map<String, String> env = Map.of("WSC_SUBSCRIBE_JWT_SECRET", secret, "WSC_WEBHOOK_URL",
                receiver.url().toString(), "WSC_WEBHOOK_SECRET", "shard-secret", "WSC_WEBHOOK_VACATED_DELAY", "500ms");
        first = node(env);
        second = node(env);
        for (String channel : channelOnEachMaster().values()) {
            String token = SubscriberToken.mintFor(secret, Duration.ofMinutes(5), "alice", null, channel);
            try (TestSubscriber here = TestSubscriber.connect(first.base(), "/" + channel + "?token=" + token);
                    TestSubscriber there = TestSubscriber.connect(second.base(), "/" + channel + "?token=" + token)) {
                receiver.awaitSteadily(channel, List.of("channel_occupied", "member_added:alice"), Duration.ofSeconds(1));
            }
            receiver.awaitSteadily(channel, List.of("channel_occupied", "channel_vacated", "member_added:alice",
                    "member_removed:alice"), Duration.ofSeconds(1));
        }
    }

    @Test
    void channelsOnEveryShardKeepTheFirstRuleAndCountClusterWide() throws Exception {
        assumeTrue(cluster(), "no redis-server or redis-cli");
        Map<Integer, String> channels = channelOnEachMaster();
        Map<String, SubscriberViews> views = new HashMap<>();
        for (String channel : channels.values()) {
            views.put(channel, new SubscriberViews(channel, List.of(first, second), opened::add));
            awaitPeers(channel, VIEWS); // from here on every publish counts all of them
        }
        Map<String, DeliveryLedger> ledgers = new HashMap<>();
        channels.values().forEach(channel -> ledgers.put(channel, new DeliveryLedger().start(bothNodes(), channel, 5)));
        Thread.sleep(2000);
        for (Map.Entry<Integer, String> owned : channels.entrySet()) {
            // both nodes subscribed on the shard that owns the channel, and on no other
            for (int port : redis.ports()) {
                List<String> subscribed = redis.command(port, "PUBSUB", "SHARDCHANNELS");
                assertEquals(port == owned.getKey(), subscribed.contains(shardChannel(owned.getValue())),
                        "shard channels on " + port + ": " + subscribed);
            }
            assertEquals(List.of(shardChannel(owned.getValue()), "2"),
                    redis.command(owned.getKey(), "PUBSUB", "SHARDNUMSUB", shardChannel(owned.getValue())));
        }
        for (DeliveryLedger ledger : ledgers.values()) {
            ledger.stop();
        }

        for (String channel : channels.values()) {
            DeliveryLedger ledger = ledgers.get(channel);
            assertEquals(ledger.tried(), ledger.acknowledged(), "a healthy cluster acknowledges every publish");
            assertEquals(Map.of("raw", 0, "json", 0, "sse", 0), views.get(channel).check(ledger), channel);
            long bytes = ledger.tried().stream().mapToLong(message -> message.getBytes(StandardCharsets.UTF_8).length)
                    .sum();
            ChannelStats expected = new ChannelStats(channel, VIEWS, ledger.tried().size(), VIEWS * bytes);
            assertEquals(expected, client(first).stat(channel), "stats on the first node");
            assertEquals(expected, client(second).stat(channel), "stats on the second node");
            assertEquals(VIEWS, client(first).send(channel, "counted").recipients());
            assertEquals(VIEWS, client(second).send(channel, "counted").recipients());
        }
    }

    @Test
    void aSubscriberResumesOnTheOtherNodeWithNothingMissingOrRepeated() throws Exception {
        assumeTrue(cluster(), "no redis-server or redis-cli");
        String channel = "cluster/resume/" + UUID.randomUUID();
        JsonSubscriber before = JsonSubscriber.connect(first.base(), "/" + channel);
        opened.add(before);
        DeliveryLedger ledger = new DeliveryLedger().start(bothNodes(), channel, 5);
        Thread.sleep(1000);
        before.close();
        List<Seen> seen = new ArrayList<>();
        String lastId = null;
        for (JsonObject frame = before.poll(Duration.ofMillis(500)); frame != null;
                frame = before.poll(Duration.ofMillis(500))) {
            seen.add(frame.containsKey("type") ? Seen.LOSS : new Seen(frame.getString("data")));
            lastId = frame.getString("id", lastId);
        }
        assertNotNull(lastId, "the first node delivered something");
        Thread.sleep(500); // published meanwhile: for history to bring

        JsonSubscriber resumed = JsonSubscriber.connect(second.base(), "/" + channel + "?since=" + lastId);
        opened.add(resumed);
        Thread.sleep(1000);
        ledger.stop();
        String last = ledger.tried().get(ledger.tried().size() - 1);
        int fromHistory = -1;
        int beforeCaughtUp = 0;
        for (JsonObject frame = resumed.poll(Duration.ofSeconds(3)); frame != null;
                frame = resumed.poll(Duration.ofSeconds(3))) {
            if ("caught_up".equals(frame.getString("type"))) {
                assertEquals(-1, fromHistory, "one caught_up");
                fromHistory = frame.getInteger("count");
                continue;
            }
            seen.add(frame.containsKey("type") ? Seen.LOSS : new Seen(frame.getString("data")));
            beforeCaughtUp += fromHistory < 0 ? 1 : 0;
            if (last.equals(frame.getString("data"))) {
                break;
            }
        }

        assertNull(ledger.violation(seen), "seen: " + seen);
        assertTrue(seen.stream().noneMatch(Seen::isLoss), "history holds all that was missed: " + seen);
        assertEquals(beforeCaughtUp, fromHistory, "caught_up counts the messages before it");
        assertTrue(fromHistory > 0, "the messages published while away came from history: " + fromHistory);
    }

    @Test
    void aShardsPubSubLinkThatDropsLosesNothingAndRepeatsNothing() throws Exception {
        assumeTrue(cluster(), "no redis-server or redis-cli");
        String channel = "cluster/link/" + UUID.randomUUID();
        int owner = redis.portOf(shardChannel(channel));
        SubscriberViews subscribers = new SubscriberViews(channel, List.of(first, second), opened::add);
        DeliveryLedger ledger = new DeliveryLedger().start(bothNodes(), channel, 5);
        for (int i = 0; i < 2; i++) {
            Thread.sleep(400);
            assertEquals(List.of("2"), redis.command(owner, "CLIENT", "KILL", "TYPE", "pubsub"),
                    "both nodes' pub/sub connections to the shard killed");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> first.readinessStatus() == 200
                && second.readinessStatus() == 200);
        Thread.sleep(400);
        ledger.stop();

        assertEquals(Map.of("raw", 0, "json", 0, "sse", 0), subscribers.check(ledger), "history holds all missed");
        subscribers.raw.forEach(raw -> assertFalse(raw.isClosed(), "raw subscriber still open"));
        double recovered = first.metric("wsc_redis_recovered_total") + second.metric("wsc_redis_recovered_total");
        assertTrue(recovered > 0, "the missed messages came from history");
        for (PackagedServer node : List.of(first, second)) {
            assertEquals(0, node.metric("wsc_redis_losses_total{cause=\"link_lost\"}"));
        }
        assertEquals(VIEWS, client(first).send(channel, "after").recipients(), "everyone counted again");
    }

    /**
     * A master dies (no replica takes over): once the cluster says it is down, every publish answers 503, on every
     * shard, and neither node is ready; after the master's restart (empty, with its slots) all recovers by itself, and
     * what was acknowledged before arrived or is signalled (the dead shard's history is gone).
     */
    @Test
    void aMasterThatDiesTakesTheClusterDownAndBackWithoutASilentLoss() throws Exception {
        assumeTrue(cluster(), "no redis-server or redis-cli");
        Map<Integer, String> channels = channelOnEachMaster();
        int victim = redis.ports().get(1);
        Map<String, SubscriberViews> views = new HashMap<>();
        Map<String, DeliveryLedger> ledgers = new HashMap<>();
        for (String channel : channels.values()) {
            views.put(channel, new SubscriberViews(channel, List.of(first, second), opened::add));
            ledgers.put(channel, new DeliveryLedger().start(bothNodes(), channel, 10));
        }
        Thread.sleep(500);
        redis.kill(victim);
        await().atMost(Duration.ofSeconds(15)).until(() -> redis.ports().stream()
                .filter(port -> port != victim).allMatch(port -> "fail".equals(redis.state(port))));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.readinessStatus() == 503
                && second.readinessStatus() == 503);
        Thread.sleep(300); // publishes in flight when the cluster went down are answered by now
        Map<String, Integer> downFrom = new HashMap<>();
        ledgers.forEach((channel, ledger) -> downFrom.put(channel, ledger.tried().size()));
        for (String channel : channels.values()) {
            for (PackagedServer node : List.of(first, second)) {
                WscException refused = assertThrows(WscException.class, () -> client(node).send(channel, "down"));
                assertEquals(503, refused.statusCode(), channel + " while the cluster is down");
            }
        }
        Thread.sleep(700);
        assertEquals(503, first.readinessStatus(), "still down");
        Map<String, List<String>> duringOutage = new HashMap<>();
        ledgers.forEach((channel, ledger) -> duringOutage.put(channel,
                ledger.tried().subList(downFrom.get(channel), ledger.tried().size() - 1)));

        redis.restart(victim);
        await().atMost(Duration.ofSeconds(20)).until(() -> first.readinessStatus() == 200
                && second.readinessStatus() == 200);
        Thread.sleep(1000);
        for (DeliveryLedger ledger : ledgers.values()) {
            ledger.stop();
        }

        for (String channel : channels.values()) {
            DeliveryLedger ledger = ledgers.get(channel);
            assertFalse(duringOutage.get(channel).isEmpty(), "the publisher went on during the outage");
            duringOutage.get(channel).forEach(message -> assertFalse(ledger.acknowledged().contains(message),
                    message + " got a 201 while the cluster was down"));
            String last = ledger.tried().get(ledger.tried().size() - 1);
            assertTrue(ledger.acknowledged().contains(last), "publishing works again on " + channel);
            try {
                views.get(channel).check(ledger); // signals allowed (the victim lost its data), silent losses not
            } catch (AssertionError violation) {
                throw new AssertionError(violation.getMessage() + "\n" + outageReport(channel, ledger), violation);
            }
            // raw subscribers told of a loss were closed (1012): the page reconnects; the others stay
            long open = VIEWS - views.get(channel).raw.stream().filter(TestSubscriber::isClosed).count();
            assertEquals(open, client(first).send(channel, "after").recipients(), channel);
        }
    }

    /** Where the channel lives, how its publishes were answered, and the order its history holds them in. */
    private String outageReport(String channel, DeliveryLedger ledger) throws Exception {
        int owner = redis.portOf(shardChannel(channel));
        StringBuilder report = new StringBuilder("channel " + channel + " on " + owner + " (killed: "
                + redis.ports().get(1) + "); answers other than 201:");
        for (String message : ledger.tried()) {
            if (!Integer.valueOf(201).equals(ledger.answer(message))) {
                report.append(' ').append(message).append('=').append(ledger.answer(message));
            }
        }
        // an entry: <id> m <kind><body> t <ms> s <seq> u <stamp>
        List<String> entry = redis.command(owner, "XRANGE", "wsc:history:{" + channel + "}", "-", "+");
        report.append("\nhistory, in order, as body@Redis ms:");
        for (int i = 0; i + 4 < entry.size(); i++) {
            if (entry.get(i).equals("m") && entry.get(i + 2).equals("t")) {
                report.append(' ').append(entry.get(i + 1).substring(1)).append('@').append(entry.get(i + 3));
            }
        }
        return report.toString();
    }

    /** The pub/sub channel that carries a wsc channel's messages (default prefix); its hash tag names the slot. */
    private static String shardChannel(String channel) {
        return "wsc:msg:{" + channel + "}";
    }

    /** Tries channel names until each master owns one: port -> channel. */
    private Map<Integer, String> channelOnEachMaster() throws Exception {
        Map<Integer, String> channels = new TreeMap<>();
        for (int i = 0; channels.size() < 3; i++) {
            assertTrue(i < 100, "100 channels and still a master without one: " + channels);
            String channel = "cluster/" + UUID.randomUUID();
            channels.putIfAbsent(redis.portOf(shardChannel(channel)), channel);
        }
        assertEquals(Set.copyOf(redis.ports()), channels.keySet());
        return channels;
    }

    private void awaitPeers(String channel, int peers) {
        await().atMost(Duration.ofSeconds(10)).until(() -> client(first).stat(channel).peers() == peers
                && client(second).stat(channel).peers() == peers);
    }

    private List<WscClient> bothNodes() {
        return List.of(client(first), client(second));
    }

    private static WscClient client(PackagedServer node) {
        return WscClient.builder().baseUri(node.base()).accessKey(KEY).build();
    }
}
