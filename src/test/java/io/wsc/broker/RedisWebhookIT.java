package io.wsc.broker;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.wsc.client.SubscriberToken;
import io.wsc.support.PackagedServer;
import io.wsc.support.RedisNodes;
import io.wsc.support.TestSubscriber;
import io.wsc.support.WebhookReceiver;

/**
 * Webhooks across two packaged nodes on a real redis-server, each sending to the same receiver: an event reaches it
 * once for the cluster, not once per node, and follows the cluster's state (a channel is vacated when its last
 * subscriber anywhere left, a subscriber that moves to the other node within the delay sends nothing), and the
 * channels and members of a node that was killed are vacated and removed by a survivor.
 */
class RedisWebhookIT {

    private static final String KEY = "webhook-key";
    private static final String TOKENS = "a-webhook-token-secret-of-32-bytes-or-more";
    /** Long enough for a move between nodes, short enough for the tests. */
    private static final Duration DELAY = Duration.ofSeconds(1);
    /** How long a result must stay as it is: a second node's copy of an event would arrive within it. */
    private static final Duration STEADY = Duration.ofSeconds(2);

    private static final WebhookReceiver RECEIVER = new WebhookReceiver();
    private static RedisNodes nodes;

    @BeforeAll
    static void startCluster() throws Exception {
        nodes = RedisNodes.start(KEY, Map.of("WSC_SUBSCRIBE_JWT_SECRET", TOKENS,
                "WSC_WEBHOOK_URL", RECEIVER.url().toString(), "WSC_WEBHOOK_SECRET", "cluster-secret",
                "WSC_WEBHOOK_VACATED_DELAY", DELAY.toMillis() + "ms")).orElse(null);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
        RECEIVER.close();
    }

    private static String unique() {
        return "cluster/" + UUID.randomUUID();
    }

    private static TestSubscriber subscribe(PackagedServer node, String channel) {
        return TestSubscriber.connect(node.base(), "/" + channel + "?token="
                + SubscriberToken.mint(TOKENS, Duration.ofMinutes(5), channel));
    }

    private static TestSubscriber subscribeAs(PackagedServer node, String sub, String channel) {
        return TestSubscriber.connect(node.base(), "/" + channel + "?token="
                + SubscriberToken.mintFor(TOKENS, Duration.ofMinutes(5), sub, null, channel));
    }

    /** The channel's events reach {@code names} (in any order) and stay so for {@link #STEADY}. */
    private static void awaitSteady(String channel, String... names) {
        RECEIVER.awaitSteadily(channel, List.of(names), STEADY);
    }

    @Test
    void aSubscriberOnEachNodeOccupiesOnceAndVacatesOnce() throws Exception {
        assumeTrue(nodes != null, "redis-server is not installed");
        String channel = unique();
        try (TestSubscriber here = subscribe(nodes.first, channel); TestSubscriber there = subscribe(nodes.second, channel)) {
            awaitSteady(channel, "channel_occupied");
        }
        awaitSteady(channel, "channel_occupied", "channel_vacated");
        assertTrue(RECEIVER.deliveryOf(channel).signedWith("cluster-secret"));
    }

    @Test
    void theChannelStaysOccupiedWhileAnyNodeHasASubscriber() {
        assumeTrue(nodes != null, "redis-server is not installed");
        String channel = unique();
        TestSubscriber there = subscribe(nodes.second, channel);
        try (TestSubscriber here = subscribe(nodes.first, channel)) {
            awaitSteady(channel, "channel_occupied");
        }
        awaitSteady(channel, "channel_occupied"); // the first node's last one left, well over the delay ago
        there.close();
        awaitSteady(channel, "channel_occupied", "channel_vacated");
    }

    @Test
    void aSubscriberThatMovesToTheOtherNodeWithinTheDelaySendsNothing() {
        assumeTrue(nodes != null, "redis-server is not installed");
        String channel = unique();
        subscribe(nodes.first, channel).close();
        try (TestSubscriber moved = subscribe(nodes.second, channel)) {
            awaitSteady(channel, "channel_occupied");
        }
        awaitSteady(channel, "channel_occupied", "channel_vacated");
    }

    @Test
    void aMemberWithTabsOnBothNodesIsAddedOnceAndRemovedWithItsLastTab() {
        assumeTrue(nodes != null, "redis-server is not installed");
        String channel = unique();
        TestSubscriber there = subscribeAs(nodes.second, "alice", channel);
        try (TestSubscriber here = subscribeAs(nodes.first, "alice", channel)) {
            awaitSteady(channel, "channel_occupied", "member_added:alice");
        }
        awaitSteady(channel, "channel_occupied", "member_added:alice");
        there.close();
        awaitSteady(channel, "channel_occupied", "member_added:alice", "member_removed:alice", "channel_vacated");
    }

    @Test
    void theChannelsAndMembersOfAKilledNodeAreVacatedByASurvivor() throws Exception {
        assumeTrue(nodes != null, "redis-server is not installed");
        String channel = unique();
        try (PackagedServer doomed = nodes.startAnother()) {
            subscribeAs(doomed, "bob", channel);
            awaitSteady(channel, "channel_occupied", "member_added:bob");
            doomed.process().destroyForcibly();
            long killed = System.nanoTime();
            // its counts expire three 1 s heartbeats after its last; a sweep then marks them, one a delay later reports
            await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.sortedEventsOf(channel), equalTo(List.of(
                    "channel_occupied", "channel_vacated", "member_added:bob", "member_removed:bob")));
            assertTrue(System.nanoTime() - killed < Duration.ofSeconds(10).toNanos(), "within the expiry and a delay");
            awaitSteady(channel, "channel_occupied", "member_added:bob", "member_removed:bob", "channel_vacated");
        }
    }
}
