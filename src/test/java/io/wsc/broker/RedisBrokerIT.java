package io.wsc.broker;

import static org.awaitility.Awaitility.await;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.wsc.client.ChannelStats;
import io.wsc.client.WscClient;
import io.wsc.client.WscException;
import io.wsc.support.PackagedServer;
import io.wsc.support.RedisServer;
import io.wsc.support.TestSubscriber;

/** Two packaged nodes sharing channels through a real redis-server. */
class RedisBrokerIT {

    private static final String KEY = "cluster-key";

    private static RedisServer redis;
    private static PackagedServer first;
    private static PackagedServer second;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start().orElse(null);
        if (redis != null) {
            first = node();
            second = node();
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] { first, second, redis }) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private static PackagedServer node() throws Exception {
        return PackagedServer.startReady(Map.of("WSC_ACCESS_KEY", KEY, "WSC_BROKER", "redis",
                "QUARKUS_REDIS_HOSTS", redis.url(), "WSC_REDIS_HEARTBEAT", "1s"));
    }

    private static WscClient client(PackagedServer node) {
        return WscClient.builder().baseUri(node.base()).accessKey(KEY).build();
    }

    @Test
    void everySubscriberOnEitherNodeGetsEachMessageOnceAndInOrder() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String channel = "cluster/" + UUID.randomUUID();
        List<TestSubscriber> subscribers = new ArrayList<>();
        List<CompletableFuture<TestSubscriber>> connecting = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            connecting.add(TestSubscriber.connectAsync((i % 2 == 0 ? first : second).base(), "/" + channel));
        }
        for (CompletableFuture<TestSubscriber> subscriber : connecting) {
            subscribers.add(subscriber.get());
        }
        try {
            assertEquals(1000, client(first).stat(channel).peers());
            // Two publishers, one per node, 50 numbered messages each.
            CompletableFuture<List<Integer>> fromFirst = CompletableFuture.supplyAsync(() -> publish(first, channel, "a"));
            List<Integer> fromSecond = publish(second, channel, "b");
            assertEquals(List.of(1000), fromSecond.stream().distinct().toList(), "recipients count both nodes");
            assertEquals(List.of(1000), fromFirst.get().stream().distinct().toList());
            for (TestSubscriber subscriber : subscribers) {
                Map<String, Integer> next = new HashMap<>(Map.of("a", 0, "b", 0));
                for (int i = 0; i < 100; i++) {
                    String[] message = ((String) subscriber.next()).split("-");
                    assertEquals(next.get(message[0]), Integer.parseInt(message[1]), "in order, none twice or missing");
                    next.put(message[0], next.get(message[0]) + 1);
                }
                assertTrue(subscriber.staysSilent(Duration.ZERO), "nothing more than the 100 messages");
            }
            ChannelStats stats = client(second).stat(channel);
            assertEquals(new ChannelStats(channel, 1000, 100, 100L * 1000 * 4), stats);
        } finally {
            subscribers.forEach(TestSubscriber::close);
        }
    }

    private static List<Integer> publish(PackagedServer node, String channel, String publisher) {
        List<Integer> recipients = new ArrayList<>();
        WscClient client = client(node);
        try {
            for (int i = 0; i < 50; i++) {
                recipients.add(client.send(channel, publisher + "-" + (i < 10 ? "0" : "") + i).recipients());
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return recipients;
    }

    @Test
    void withoutRedisPublishingIs503AndNotReadyThenItRecoversByItself() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String channel = "outage/" + UUID.randomUUID();
        try (TestSubscriber onFirst = TestSubscriber.connect(first.base(), "/" + channel);
                TestSubscriber onSecond = TestSubscriber.connect(second.base(), "/" + channel)) {
            redis.stop();
            try {
                WscException refused = assertThrows(WscException.class, () -> client(first).send(channel, "lost?"));
                assertEquals(503, refused.statusCode());
                assertEquals("The message broker (Redis) is unavailable; try again shortly", refused.statusText());
                await().atMost(Duration.ofSeconds(10)).until(() -> first.readinessStatus() == 503
                        && second.readinessStatus() == 503);
                assertFalse(onFirst.isClosed() || onSecond.isClosed(), "subscribers stay connected");
            } finally {
                redis.startAgain();
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> first.readinessStatus() == 200
                    && second.readinessStatus() == 200);
            // Ready means counted again: the first receipt counts every subscriber the message reaches.
            assertEquals(2, client(second).send(channel, "back").recipients());
            assertEquals("back", onFirst.next());
            assertEquals("back", onSecond.next());
        }
    }

    @Test
    void aNodeThatDiesStopsCountingWithinItsHeartbeatWindow() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String channel = "dying/" + UUID.randomUUID();
        try (PackagedServer doomed = node();
                TestSubscriber survivor = TestSubscriber.connect(first.base(), "/" + channel);
                TestSubscriber victim = TestSubscriber.connect(doomed.base(), "/" + channel)) {
            assertEquals(2, client(first).stat(channel).peers());
            doomed.process().destroyForcibly();
            // Heartbeat 1 s: a node counts until its key expires, three heartbeats after its last.
            await().atMost(Duration.ofSeconds(8)).until(() -> client(first).stat(channel).peers() == 1);
            assertEquals(1, client(first).send(channel, "still here").recipients());
            assertEquals("still here", survivor.next());
        }
    }

    /** A node that stops cleanly says goodbye: its subscribers stop counting at once, not when its key expires. */
    @Test
    void aNodeStartsAndStopsWithoutWarningsOrErrorsAndLeavesTheCountsAtOnce() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String channel = "leaving/" + UUID.randomUUID();
        try (PackagedServer leaving = PackagedServer.startReady(Map.of("WSC_ACCESS_KEY", KEY, "WSC_BROKER", "redis",
                "QUARKUS_REDIS_HOSTS", redis.url()))) {
            try (TestSubscriber subscriber = TestSubscriber.connect(leaving.base(), "/" + channel)) {
                assertEquals(1, client(first).stat(channel).peers());
                leaving.terminate();
                assertTrue(leaving.process().waitFor(10, TimeUnit.SECONDS), "the node must exit");
            }
            // Its heartbeat key lives 15 s (three default heartbeats) after its last beat.
            assertEquals(0, client(first).stat(channel).peers(), leaving.output());
            assertEquals(List.of(), leaving.warningsAndErrors(), leaving.output());
        }
    }

    @Test
    void theMemoryBrokerOpensNoRedisConnection() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        int before = redis.otherClients();
        try (PackagedServer memory = PackagedServer.startReady(Map.of("WSC_ACCESS_KEY", KEY,
                "QUARKUS_REDIS_HOSTS", redis.url()))) {
            try (TestSubscriber subscriber = TestSubscriber.connect(memory.base(), "/memory")) {
                assertEquals(1, client(memory).send("memory", "local").recipients());
            }
            assertEquals(before, redis.otherClients());
        }
    }
}
