package io.wsc.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;
import io.wsc.client.ChannelPresence;
import io.wsc.client.SubscriberToken;
import io.wsc.client.WscClient;
import io.wsc.support.EventStreamClient;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.PackagedServer;
import io.wsc.support.RedisNodes;

/**
 * Presence across two packaged nodes on a real redis-server: one list for the cluster, a client with tabs on both
 * nodes joins once and leaves with its last tab wherever it is, every watcher gets each event once, and the clients of
 * a node that was killed leave within the heartbeat's expiry.
 */
class RedisPresenceIT {

    private static final String KEY = "presence-key";
    private static final String SECRET = "a-presence-token-secret-of-32-bytes-or-more";
    private static final Duration QUIET = Duration.ofMillis(700);

    private static RedisNodes nodes;
    private static PackagedServer first;
    private static PackagedServer second;

    @BeforeAll
    static void startCluster() throws Exception {
        nodes = RedisNodes.start(KEY, Map.of("WSC_SUBSCRIBE_JWT_SECRET", SECRET)).orElse(null);
        if (nodes != null) {
            first = nodes.first;
            second = nodes.second;
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static WscClient client(PackagedServer node) {
        return WscClient.builder().baseUri(node.base()).accessKey(KEY).build();
    }

    private static JsonSubscriber tab(PackagedServer node, String channel, String sub) throws Exception {
        return JsonSubscriber.connect(node.base(), "/" + channel + "?token="
                + SubscriberToken.mintFor(SECRET, Duration.ofMinutes(5), sub, "{\"name\":\"" + sub + "\"}", channel));
    }

    /** A watcher; its first frame, the snapshot of who is there, is read here. */
    private static JsonSubscriber watcher(PackagedServer node, String channel) throws Exception {
        JsonSubscriber watcher = JsonSubscriber.connect(node.base(), "/" + channel + "?presence=events&token="
                + SubscriberToken.mint(SECRET, Duration.ofMinutes(5), channel));
        JsonObject snapshot = watcher.next();
        assertEquals("presence", snapshot.getString("type"), snapshot.encode());
        return watcher;
    }


    private static JsonObject event(String type, String channel, String sub) {
        return new JsonObject().put("type", type).put("channel", channel).put("client",
                new JsonObject().put("sub", sub).put("info", new JsonObject().put("name", sub)));
    }

    private static int connections(PackagedServer node, String channel, String sub) throws Exception {
        return client(node).presence(channel).clients().stream().filter(client -> client.sub().equals(sub))
                .mapToInt(ChannelPresence.Client::connections).sum();
    }

    @Test
    void aClientWithTabsOnBothNodesJoinsOnceAndLeavesWithItsLastTab() throws Exception {
        assumeTrue(nodes != null, "no redis-server");
        String channel = "presence/" + UUID.randomUUID();
        try (JsonSubscriber onFirst = watcher(first, channel); JsonSubscriber onSecond = watcher(second, channel);
                EventStreamClient stream = EventStreamClient.connect(second.base(), "/" + channel
                        + "?presence=events&token=" + SubscriberToken.mint(SECRET, Duration.ofMinutes(5), channel))) {
            assertEquals("presence", new JsonObject(stream.next().data()).getString("type"), "the snapshot first");
            JsonSubscriber firstTab = tab(first, channel, "alice");
            assertEquals(event("join", channel, "alice"), onFirst.next());
            assertEquals(event("join", channel, "alice"), onSecond.next(), "the other node's watcher too");
            assertEquals(event("join", channel, "alice"), new JsonObject(stream.next().data()));
            JsonSubscriber secondTab = tab(second, channel, "alice");
            assertEquals(2, connections(first, channel, "alice"), "one list, cluster-wide");
            ChannelPresence presence = client(second).presence(channel);
            assertEquals(List.of(new ChannelPresence.Client("alice", Map.of("name", "alice"), 2)), presence.clients());
            assertEquals(false, presence.truncated());
            assertTrue(onFirst.staysSilent(QUIET) && onSecond.staysSilent(Duration.ZERO), "no second join");

            firstTab.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> connections(second, channel, "alice") == 1);
            assertTrue(onFirst.staysSilent(QUIET) && onSecond.staysSilent(Duration.ZERO), "a tab left, not alice");
            secondTab.close();
            assertEquals(event("leave", channel, "alice"), onFirst.next());
            assertEquals(event("leave", channel, "alice"), onSecond.next());
            assertEquals(List.of(), client(first).presence(channel).clients());
            assertTrue(onFirst.staysSilent(QUIET) && onSecond.staysSilent(Duration.ZERO), "each event once");
        }
    }

    @Test
    void theClientsOfAKilledNodeLeaveWithinTheHeartbeatsExpiry() throws Exception {
        assumeTrue(nodes != null, "no redis-server");
        String channel = "presence/" + UUID.randomUUID();
        try (PackagedServer doomed = nodes.startAnother(); JsonSubscriber watcher = watcher(first, channel);
                JsonSubscriber carol = tab(first, channel, "carol")) {
            assertEquals(event("join", channel, "carol"), watcher.next());
            JsonSubscriber bob = tab(doomed, channel, "bob");
            assertEquals(event("join", channel, "bob"), watcher.next());
            assertEquals(1, connections(second, channel, "bob"));

            doomed.process().destroyForcibly();
            long killed = System.nanoTime();
            // Heartbeat 1 s: its lines count for three heartbeats after its last; the survivor's sweep sees them go.
            assertEquals(event("leave", channel, "bob"), watcher.next());
            assertTrue(System.nanoTime() - killed < Duration.ofSeconds(6).toNanos(), "within the expiry");
            assertEquals(List.of("carol"), client(second).presence(channel).clients().stream()
                    .map(ChannelPresence.Client::sub).toList());
            bob.close();
        }
    }
}
