package io.wsc.presence;

import static io.restassured.RestAssured.given;
import static io.wsc.support.TestKey.withKey;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wsc.client.SubscriberToken;
import io.wsc.support.EventStreamClient;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.TestSubscriber;

/**
 * Presence with the memory broker, over real WebSocket and event-stream connections: a client with several tabs joins
 * once and leaves with its last, GET ?presence lists clients by sub (bounded, truncated), raw subscribers cannot
 * watch, an info over its bound is refused, and a burst of joins is cut to the per-second bound plus one presence_gap.
 */
@QuarkusTest
@TestProfile(PresenceProfile.class)
class PresenceTest {

    private static final Duration QUIET = Duration.ofMillis(500);

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    private double presenceEvents(String outcome) {
        String series = "wsc_presence_events_total{outcome=\"" + outcome + "\"} ";
        return given().get(metrics).then().extract().asString().lines().filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()))).findFirst().orElse(0);
    }

    private static String unique() {
        return "presence/" + UUID.randomUUID();
    }

    private static String token(String sub, String info, String channel) {
        return SubscriberToken.mintFor(PresenceProfile.SECRET, Duration.ofMinutes(5), sub, info, channel);
    }

    private static String anonymous(String channel) {
        return SubscriberToken.mint(PresenceProfile.SECRET, Duration.ofMinutes(5), channel);
    }

    private static JsonObject presence(String channel) {
        return new JsonObject(withKey().get("/" + channel + "?presence").then().statusCode(200).extract().asString());
    }

    /** A watcher of a channel nobody identified is on yet: its snapshot, first, is empty. */
    private JsonSubscriber watcher(String channel) throws Exception {
        JsonSubscriber watcher = JsonSubscriber.connect(base, "/" + channel + "?presence=events&token="
                + anonymous(channel));
        assertEquals(snapshot(channel, new JsonArray()), watcher.next());
        return watcher;
    }

    private static JsonObject snapshot(String channel, JsonArray clients) {
        return new JsonObject().put("type", "presence").put("channel", channel).put("clients", clients)
                .put("truncated", false);
    }

    @Test
    void aWatcherFirstGetsWhoIsThereIncludingItselfThenTheirEvents() throws Exception {
        String channel = unique();
        try (JsonSubscriber alice = tab(channel, "alice", "{\"name\":\"Alice\"}");
                JsonSubscriber carol = JsonSubscriber.connect(base, "/" + channel + "?presence=events&token="
                        + token("carol", null, channel))) {
            assertEquals(snapshot(channel, new JsonArray()
                    .add(new JsonObject().put("sub", "alice").put("info", new JsonObject().put("name", "Alice"))
                            .put("connections", 1))
                    .add(new JsonObject().put("sub", "carol").put("connections", 1))), carol.next());
            // its own join was published after it started watching, so it follows the snapshot
            assertEquals(event("join", channel, "carol", null), carol.next());
            try (JsonSubscriber bob = tab(channel, "bob", null)) {
                assertEquals(event("join", channel, "bob", null), carol.next());
            }
            assertEquals(event("leave", channel, "bob", null), carol.next());
        }
    }

    private JsonSubscriber tab(String channel, String sub, String info) throws Exception {
        return JsonSubscriber.connect(base, "/" + channel + "?token=" + token(sub, info, channel));
    }

    private static JsonObject event(String type, String channel, String sub, JsonObject info) {
        JsonObject client = new JsonObject().put("sub", sub);
        if (info != null) {
            client.put("info", info);
        }
        return new JsonObject().put("type", type).put("channel", channel).put("client", client);
    }

    @Test
    void aClientWithSeveralTabsJoinsOnceAndLeavesWithItsLastTab() throws Exception {
        String channel = unique();
        JsonObject info = new JsonObject().put("name", "Alice");
        try (JsonSubscriber watcher = watcher(channel)) {
            assertEquals(new JsonArray(), presence(channel).getJsonArray("clients"), "an anonymous watcher is not listed");
            JsonSubscriber first = tab(channel, "alice", info.encode());
            assertEquals(event("join", channel, "alice", info), watcher.next());
            JsonSubscriber second = tab(channel, "alice", info.encode());
            assertTrue(watcher.staysSilent(QUIET), "a second tab is no new join");
            assertEquals(new JsonObject().put("channel", channel).put("clients", new JsonArray().add(
                    new JsonObject().put("sub", "alice").put("info", info).put("connections", 2)))
                    .put("truncated", false), presence(channel));

            first.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> presence(channel).getJsonArray("clients")
                    .getJsonObject(0).getInteger("connections") == 1);
            assertTrue(watcher.staysSilent(QUIET), "closing one of two tabs is no leave");
            second.close();
            assertEquals(event("leave", channel, "alice", info), watcher.next());
            assertEquals(new JsonArray(), presence(channel).getJsonArray("clients"));
        }
    }

    @Test
    void theListIsOrderedBySubBoundedAndSaysWhenItIsTruncated() throws Exception {
        String channel = unique();
        List<JsonSubscriber> tabs = new ArrayList<>();
        try {
            for (String sub : List.of("dave", "bob", "carol")) {
                tabs.add(tab(channel, sub, null));
            }
            JsonObject three = presence(channel);
            assertEquals(List.of("bob", "carol", "dave"), subs(three));
            assertEquals(false, three.getBoolean("truncated"));
            assertNull(three.getJsonArray("clients").getJsonObject(0).getValue("info"), "no info: none listed");

            tabs.add(tab(channel, "alice", null));
            JsonObject four = presence(channel);
            assertEquals(List.of("alice", "bob", "carol"), subs(four), "wsc.presence.max=3, the first by sub");
            assertEquals(true, four.getBoolean("truncated"));
        } finally {
            tabs.forEach(JsonSubscriber::close);
        }
    }

    private static List<String> subs(JsonObject presence) {
        List<String> subs = new ArrayList<>();
        presence.getJsonArray("clients").forEach(client -> subs.add(((JsonObject) client).getString("sub")));
        return subs;
    }

    @Test
    void rawSubscribersCannotWatchAndBadIdentitiesAreRefused() {
        String channel = unique();
        String path = "/" + channel + "?token=" + anonymous(channel);
        assertEquals(400, TestSubscriber.upgradeStatus(base, path + "&presence=events", Map.of()),
                "raw frames cannot carry events");
        assertEquals(101, TestSubscriber.upgradeStatus(base, path + "&presence=events", Map.of(),
                List.of("wsc.v1.json")));
        assertEquals(400, TestSubscriber.upgradeStatus(base, path + "&presence=everything", Map.of(),
                List.of("wsc.v1.json")));
        String large = new JsonObject().put("bio", "x".repeat(64)).encode();
        assertEquals(400, TestSubscriber.upgradeStatus(base, "/" + channel + "?token=" + token("bob", large, channel),
                Map.of()), "info over wsc.presence.max-info-bytes");
        assertEquals(101, TestSubscriber.upgradeStatus(base, "/" + channel + "?token="
                + token("bob", new JsonObject().put("bio", "x".repeat(40)).encode(), channel), Map.of()));
        assertEquals(400, TestSubscriber.upgradeStatus(base, "/" + channel + "?token=" + token("bad\u0001sub", null,
                channel), Map.of()), "control characters in sub");
    }

    @Test
    void anEventStreamGetsEventsAsPresenceEventsAndMultiplexedAsData() throws Exception {
        String channel = unique();
        String other = unique();
        String both = SubscriberToken.mint(PresenceProfile.SECRET, Duration.ofMinutes(5), channel, other);
        try (EventStreamClient single = EventStreamClient.connect(base, "/" + channel + "?presence=events&token="
                + anonymous(channel));
                EventStreamClient multiplexed = EventStreamClient.connect(base, "/" + channel + "?channel=" + other
                        + "&presence=events&token=" + both)) {
            assertEquals(200, single.status());
            assertEquals(200, multiplexed.status());
            assertEquals(snapshot(channel, new JsonArray()), new JsonObject(single.next().data()));
            assertEquals(java.util.Set.of(snapshot(channel, new JsonArray()), snapshot(other, new JsonArray())),
                    java.util.Set.of(new JsonObject(multiplexed.next().data()), new JsonObject(multiplexed.next().data())),
                    "one snapshot a channel");
            try (JsonSubscriber bob = tab(channel, "bob", "{\"n\":1}")) {
                EventStreamClient.Event event = single.next();
                assertEquals("presence", event.type());
                assertEquals(event("join", channel, "bob", new JsonObject().put("n", 1)), new JsonObject(event.data()));
                EventStreamClient.Event data = multiplexed.next();
                assertNull(data.type(), "a multiplexed stream's frames are data only");
                assertEquals(event("join", channel, "bob", new JsonObject().put("n", 1)), new JsonObject(data.data()));
            }
            assertEquals("leave", new JsonObject(single.next().data()).getString("type"));
        }
        EventStreamClient raw = EventStreamClient.connect(base, "/" + channel + "?presence=all&token="
                + anonymous(channel));
        assertEquals(400, raw.status());
        assertTrue(new JsonObject(raw.body()).getString("status").contains("presence"), raw.body());
        raw.close();
    }

    @Test
    void aBurstOfJoinsIsCutToTheBoundPlusOnePresenceGap() throws Exception {
        String channel = unique();
        List<JsonSubscriber> tabs = new ArrayList<>();
        double droppedBefore = presenceEvents("dropped");
        double sentBefore = presenceEvents("sent");
        try (JsonSubscriber watcher = watcher(channel)) {
            int clients = PresenceProfile.MAX_EVENTS_PER_SECOND + 4;
            for (int i = 0; i < clients; i++) {
                tabs.add(tab(channel, "user-" + i, null));
            }
            List<JsonObject> frames = new ArrayList<>();
            for (JsonObject frame = watcher.poll(QUIET); frame != null; frame = watcher.poll(QUIET)) {
                frames.add(frame);
            }
            // they connect within a second here; a slow machine may spread them over two windows: never more
            long joins = frames.stream().filter(f -> "join".equals(f.getString("type"))).count();
            long gaps = frames.stream().filter(f -> "presence_gap".equals(f.getString("type"))).count();
            assertTrue(gaps >= 1 && joins + gaps <= clients, frames.toString());
            assertTrue(joins >= PresenceProfile.MAX_EVENTS_PER_SECOND, frames.toString());
            JsonObject gap = frames.stream().filter(f -> "presence_gap".equals(f.getString("type"))).findFirst()
                    .orElseThrow();
            assertEquals(new JsonObject().put("type", "presence_gap").put("channel", channel), gap);
            assertEquals(PresenceProfile.MAX, presence(channel).getJsonArray("clients").size(),
                    "the list still tells everyone (up to its bound)");
            assertTrue(presenceEvents("dropped") - droppedBefore >= clients - joins, "dropped events are counted");
            assertTrue(presenceEvents("sent") - sentBefore >= joins, "sent events are counted");
        } finally {
            tabs.forEach(JsonSubscriber::close);
        }
    }
}
