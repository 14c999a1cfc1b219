package io.wsc.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;
import io.wsc.client.WscClient;
import io.wsc.support.EventStreamClient;
import io.wsc.support.EventStreamClient.Event;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.PackagedServer;
import io.wsc.support.RedisServer;

/** History with the Redis broker: two packaged nodes and a real redis-server; subscribers resume on either node. */
class RedisHistoryIT {

    private static final String KEY = "history-key";
    private static final int SIZE = 100;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static RedisServer redis;
    private static PackagedServer first;
    private static PackagedServer second;

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisServer.start().orElse(null);
        if (redis != null) {
            first = node(Map.of());
            second = node(Map.of());
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

    private static PackagedServer node(Map<String, String> extra) throws Exception {
        Map<String, String> env = new TreeMap<>(Map.of("WSC_ACCESS_KEY", KEY, "WSC_BROKER", "redis",
                "QUARKUS_REDIS_HOSTS", redis.url(), "WSC_REDIS_HEARTBEAT", "1s",
                "WSC_HISTORY_SIZE", String.valueOf(SIZE), "WSC_HISTORY_TTL", "1h"));
        env.putAll(extra);
        return PackagedServer.startReady(env);
    }

    /** Publishes text through the node and returns the receipt's message_id. */
    private static long publish(PackagedServer node, String channel, String body) {
        HttpRequest request = HttpRequest.newBuilder(node.base().resolve(channel)).header("access-key", KEY)
                .header("Content-Type", "text/plain; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(201, response.statusCode(), response.body());
            return Long.parseLong(new JsonObject(response.body()).getString("message_id"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonSubscriber subscribe(PackagedServer node, String channel, String query) throws Exception {
        return JsonSubscriber.connect(node.base(), "/" + channel + query);
    }

    private static void assertMessage(long id, String data, JsonObject frame) {
        assertEquals(new JsonObject().put("id", String.valueOf(id)).put("data", data), frame);
    }

    private static void assertGap(long since, long next, JsonObject frame) {
        assertEquals(new JsonObject().put("type", "gap").put("since", String.valueOf(since))
                .put("next", String.valueOf(next)), frame);
    }

    private static void assertCaughtUp(int count, JsonObject frame) {
        assertEquals(new JsonObject().put("type", "caught_up").put("count", count), frame);
    }

    private static PackagedServer either(int i) {
        return i % 2 == 0 ? first : second;
    }

    @Test
    void aSubscriberDroppedOnOneNodeResumesOnTheOtherWithExactlyWhatItMissed() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String channel = "resume/" + UUID.randomUUID();
        List<Long> ids = new ArrayList<>();
        try (JsonSubscriber onFirst = subscribe(first, channel, "")) {
            for (int i = 1; i <= 50; i++) {
                ids.add(publish(first, channel, "m" + i));
            }
            for (int i = 1; i <= 50; i++) {
                assertMessage(ids.get(i - 1), "m" + i, onFirst.next());
            }
        }
        long lastSeen = ids.get(49);
        await().atMost(Duration.ofSeconds(10)).until(() -> client(second).stat(channel).peers() == 0);
        for (int i = 51; i <= 80; i++) {
            ids.add(publish(either(i), channel, "m" + i)); // receipts from both nodes
        }
        for (int i = 1; i < ids.size(); i++) {
            assertEquals(ids.get(i - 1) + 1, ids.get(i), "one channel's ids follow each other, whichever node published");
        }
        try (JsonSubscriber onSecond = subscribe(second, channel, "?since=" + lastSeen)) {
            for (int i = 51; i <= 80; i++) {
                assertMessage(ids.get(i - 1), "m" + i, onSecond.next());
            }
            assertCaughtUp(30, onSecond.next());
            for (int i = 81; i <= 84; i++) {
                long id = publish(either(i), channel, "live" + i);
                assertMessage(id, "live" + i, onSecond.next());
            }
            assertTrue(onSecond.staysSilent(Duration.ofMillis(300)), "nothing twice");
        }
    }

    /** An event stream (an EventSource reconnecting elsewhere, Last-Event-ID) catches up from Redis on the other node. */
    /**
     * One connection with two channels on the first node, a raw subscriber of one of them on the second: messages
     * published on either node reach it, named; peers count it once per channel, cluster-wide; after a drop it
     * resumes both channels on the other node, each from its own id, out of Redis's history.
     */
    @Test
    void aMultiplexedConnectionIsServedAndCountedClusterWideAndResumesEachChannelOnTheOtherNode() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String room = "mux-room/" + UUID.randomUUID();
        String user = "mux-user/" + UUID.randomUUID();
        WscClient stats = WscClient.builder().baseUri(second.base()).accessKey(KEY).build();
        long roomSeen;
        long userSeen;
        try (JsonSubscriber both = subscribe(first, room, "?channel=" + user);
                io.wsc.support.TestSubscriber raw = io.wsc.support.TestSubscriber.connect(second.base(), "/" + room)) {
            assertEquals(2, stats.stat(room).peers());
            assertEquals(1, stats.stat(user).peers());
            roomSeen = publish(second, room, "room, via the second node");
            userSeen = publish(first, user, "user, via the first node");
            assertEquals(new JsonObject().put("channel", room).put("id", String.valueOf(roomSeen))
                    .put("data", "room, via the second node"), both.next());
            assertEquals(new JsonObject().put("channel", user).put("id", String.valueOf(userSeen))
                    .put("data", "user, via the first node"), both.next());
            assertEquals("room, via the second node", raw.next());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stats.stat(room).peers() == 0
                && stats.stat(user).peers() == 0);
        long roomMissed = publish(first, room, "room, missed");
        long userMissed = publish(second, user, "user, missed");
        try (JsonSubscriber resumed = subscribe(second, room, "?channel=" + user + "&since=" + roomSeen + "&since="
                + user + ":" + userSeen)) {
            List<JsonObject> frames = List.of(resumed.next(), resumed.next(), resumed.next(), resumed.next());
            assertTrue(frames.contains(new JsonObject().put("channel", room).put("id", String.valueOf(roomMissed))
                    .put("data", "room, missed")), frames.toString());
            assertTrue(frames.contains(new JsonObject().put("channel", user).put("id", String.valueOf(userMissed))
                    .put("data", "user, missed")), frames.toString());
            assertTrue(frames.contains(new JsonObject().put("type", "caught_up").put("channel", room)
                    .put("count", 1)), frames.toString());
            assertTrue(frames.contains(new JsonObject().put("type", "caught_up").put("channel", user)
                    .put("count", 1)), frames.toString());
            assertTrue(resumed.staysSilent(Duration.ofMillis(300)));
        }
    }

    @Test
    void anEventStreamResumesOnTheOtherNodeToo() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String channel = "sse/" + UUID.randomUUID();
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(publish(first, channel, "m" + i));
        }
        try (EventStreamClient stream = EventStreamClient.connect(second.base(), "/" + channel,
                Map.of("Last-Event-ID", String.valueOf(ids.get(1))))) {
            for (int i = 3; i <= 5; i++) {
                Event event = stream.next();
                assertEquals(String.valueOf(ids.get(i - 1)), event.id());
                assertEquals("m" + i, event.data());
            }
            assertEquals(new Event(null, "caught_up", "{\"count\":3}", null, null), stream.next());
            long live = publish(first, channel, "live");
            assertEquals(new Event(String.valueOf(live), null, "live", null, null), stream.next());
            assertTrue(stream.staysSilent(Duration.ofMillis(300)), "nothing twice");
        }
    }

    /**
     * A multiplexed stream's id is its place in every channel: one that was quiet on the first node (its start read
     * from Redis) resumes on the second node as well as the one whose message came last.
     */
    @Test
    void aMultiplexedEventStreamResumesEveryChannelOnTheOtherNodeWithItsLastEventId() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String room = "sse/" + UUID.randomUUID();
        String quiet = "sse/" + UUID.randomUUID();
        long before = publish(first, quiet, "q0"); // before the stream: not for it
        String path = "/" + room + "?channel=" + quiet;
        String lastId;
        try (EventStreamClient stream = EventStreamClient.connect(first.base(), path, Map.of())) {
            long r1 = publish(second, room, "r1");
            Event event = stream.next();
            assertEquals(r1 + "," + before, event.id());
            lastId = event.id();
        }
        long r2 = publish(first, room, "r2");
        long q1 = publish(second, quiet, "q1");
        try (EventStreamClient stream = EventStreamClient.connect(second.base(), path,
                Map.of("Last-Event-ID", lastId))) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Event event = stream.next();
                JsonObject frame = new JsonObject(event.data());
                seen.add(frame.getString("channel") + " " + frame.getString("data", frame.getString("type")));
            }
            assertEquals(List.of(room + " r2", room + " caught_up"), seen.stream().filter(e -> e.startsWith(room))
                    .toList());
            assertEquals(List.of(quiet + " q1", quiet + " caught_up"), seen.stream().filter(e -> e.startsWith(quiet))
                    .toList());
            long r3 = publish(first, room, "r3");
            assertEquals(r3 + "," + q1, stream.next().id());
            assertTrue(r2 < r3);
            assertTrue(stream.staysSilent(Duration.ofMillis(300)), "nothing twice");
        }
    }

    /**
     * A node whose fan-out is behind stops reading the pub/sub link (here at once: its bound is one byte) until it
     * catches up: what the other node published in a burst all arrives, in order, once.
     */
    @Test
    void aNodeWhoseFanOutIsBehindPausesTheLinkAndMissesNothingTheOtherPublished() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String channel = "paced/" + UUID.randomUUID();
        int count = 2000;
        try (PackagedServer paced = node(Map.of("WSC_FAN_OUT_MAX_QUEUED_BYTES", "1"));
                JsonSubscriber subscriber = subscribe(paced, channel, "")) {
            Semaphore inFlight = new Semaphore(16);
            List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                HttpRequest request = HttpRequest.newBuilder(first.base().resolve(channel)).header("access-key", KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("m" + i + " " + "x".repeat(200))).build();
                posts.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, failure) -> inFlight.release()));
            }
            for (CompletableFuture<HttpResponse<String>> post : posts) {
                assertEquals(201, post.get(30, TimeUnit.SECONDS).statusCode());
            }
            Set<String> bodies = new HashSet<>();
            long previous = 0;
            for (int i = 0; i < count; i++) {
                JsonObject frame = subscriber.next();
                long id = Long.parseLong(frame.getString("id"));
                assertTrue(id > previous, "in order: " + id + " after " + previous);
                previous = id;
                bodies.add(frame.getString("data").split(" ")[0]);
            }
            assertEquals(count, bodies.size(), "each once");
            assertTrue(subscriber.staysSilent(Duration.ofMillis(300)), "nothing twice");
            assertTrue(paced.metric("wsc_redis_reads_paused_total") > 0, "the link was paused");
        }
    }

    @Test
    void aSinceOlderThanWhatIsKeptGetsAGapSignalThenTheKeptMessages() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String channel = "gap/" + UUID.randomUUID();
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= SIZE + 20; i++) {
            ids.add(publish(either(i), channel, "m" + i));
        }
        assertEquals(":" + SIZE, redis.command("XLEN wsc:history:{" + channel + "}"), "the stream is capped");
        long since = ids.get(2);
        try (JsonSubscriber resumed = subscribe(second, channel, "?since=" + since)) {
            assertGap(since, ids.get(20), resumed.next());
            for (int i = 21; i <= SIZE + 20; i++) {
                assertMessage(ids.get(i - 1), "m" + i, resumed.next());
            }
            assertCaughtUp(SIZE, resumed.next());
            assertTrue(resumed.staysSilent(Duration.ofMillis(300)));
        }
        long ahead = ids.get(ids.size() - 1) + 1_000; // not an id of this stream (an earlier one's): all that is kept
        try (JsonSubscriber resumed = subscribe(first, channel, "?since=" + ahead)) {
            assertGap(ahead, ids.get(20), resumed.next());
            for (int i = 21; i <= SIZE + 20; i++) {
                assertMessage(ids.get(i - 1), "m" + i, resumed.next());
            }
            assertCaughtUp(SIZE, resumed.next());
            assertTrue(resumed.staysSilent(Duration.ofMillis(300)));
        }
    }

    @Test
    void sinceZeroGetsAllOfAChannelThatLostNothing() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String channel = "start/" + UUID.randomUUID();
        long one = publish(first, channel, "one");
        long two = publish(second, channel, "two");
        try (JsonSubscriber resumed = subscribe(second, channel, "?since=0")) {
            assertMessage(one, "one", resumed.next());
            assertMessage(two, "two", resumed.next());
            assertCaughtUp(2, resumed.next());
            assertTrue(resumed.staysSilent(Duration.ofMillis(300)), "no gap signal: nothing was lost");
        }
        try (JsonSubscriber resumed = subscribe(first, channel, "?since=" + two)) {
            assertCaughtUp(0, resumed.next());
            assertTrue(resumed.staysSilent(Duration.ofMillis(300)), "up to date: nothing to catch up");
        }
    }

    /** Publishes through both nodes race resuming upgrades on both: every id after since arrives once, in order. */
    @Test
    void noGapAndNoDuplicateWhenPublishesRaceTheResume() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String channel = "race/" + UUID.randomUUID();
        Map<Long, String> published = new ConcurrentSkipListMap<>();
        for (int i = 1; i <= 10; i++) {
            published.put(publish(either(i), channel, "m" + i), "m" + i);
        }
        long since = List.copyOf(published.keySet()).get(4);
        List<CompletableFuture<Void>> publishers = new ArrayList<>();
        for (PackagedServer node : List.of(first, second)) {
            publishers.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 40; i++) {
                    String body = node.httpPort + "-" + i;
                    published.put(publish(node, channel, body), body);
                }
            }));
        }
        CompletableFuture<Void> publishing = CompletableFuture.allOf(publishers.toArray(CompletableFuture[]::new));
        List<JsonSubscriber> subscribers = new ArrayList<>();
        try {
            for (int round = 0; round < 10 && !publishing.isDone(); round++) {
                subscribers.add(subscribe(either(round), channel, "?since=" + since));
                Thread.sleep(5);
            }
            publishing.get(60, TimeUnit.SECONDS);
            Map<Long, String> expected = ((ConcurrentSkipListMap<Long, String>) published).tailMap(since, false);
            assertEquals(85, expected.size());
            assertEquals(since + 85, ((ConcurrentSkipListMap<Long, String>) published).lastKey(), "consecutive ids");
            for (int n = 0; n < subscribers.size(); n++) {
                JsonSubscriber subscriber = subscribers.get(n);
                for (Map.Entry<Long, String> message : expected.entrySet()) {
                    JsonObject frame = subscriber.nextMessage();
                    assertEquals(new JsonObject().put("id", String.valueOf(message.getKey()))
                            .put("data", message.getValue()), frame, "subscriber " + n + " of " + subscribers.size());
                }
                if (subscriber.caughtUpSignals() == 0) { // every message came from history
                    assertCaughtUp(expected.size(), subscriber.next());
                } else {
                    assertEquals(1, subscriber.caughtUpSignals());
                }
                assertTrue(subscriber.staysSilent(Duration.ofMillis(200)), "nothing twice");
            }
        } finally {
            subscribers.forEach(JsonSubscriber::close);
        }
        assertTrue(subscribers.size() > 1, "subscribers joined while publishing");
    }

    /**
     * Kept messages expire after the ttl and a quiet channel's stream goes away; the next publish starts a new
     * sequence above the old ids, so an old id gets a gap signal, never silence.
     */
    @Test
    void expiredHistoryIsGoneAndANewSequenceStillSignalsTheGap() throws Exception {
        assumeTrue(redis != null, "no redis-server");
        String channel = "ttl/" + UUID.randomUUID();
        try (PackagedServer shortLived = node(Map.of("WSC_REDIS_PREFIX", "short:", "WSC_HISTORY_TTL", "1s"))) {
            long old = publish(shortLived, channel, "old");
            String stream = "short:history:{" + channel + "}";
            assertTrue(Long.parseLong(redis.command("PTTL " + stream).substring(1)) > 1000, "expires after ttl + 1 s");
            await().atMost(Duration.ofSeconds(5)).until(() -> ":0".equals(redis.command("EXISTS " + stream)));
            try (JsonSubscriber resumed = JsonSubscriber.connect(shortLived.base(), "/" + channel + "?since=" + old)) {
                JsonObject gap = resumed.next();
                assertEquals("gap", gap.getString("type"));
                assertCaughtUp(0, resumed.next());
                long fresh = publish(shortLived, channel, "fresh");
                assertTrue(fresh > old, "a new sequence starts above the old one: " + fresh + " > " + old);
                assertMessage(fresh, "fresh", resumed.next());
            }
            try (JsonSubscriber resumed = JsonSubscriber.connect(shortLived.base(), "/" + channel + "?since=" + old)) {
                JsonObject gap = resumed.next();
                assertEquals("gap", gap.getString("type"), "the old sequence's end is unknown");
                assertEquals("fresh", resumed.next().getString("data"));
                assertCaughtUp(1, resumed.next());
            }
        }
    }

    private static WscClient client(PackagedServer node) {
        return WscClient.builder().baseUri(node.base()).accessKey(KEY).build();
    }
}
