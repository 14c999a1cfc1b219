package io.wsc.ws;

import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.wsc.channel.ChannelHub;
import io.wsc.client.WscClient;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.TestKey;
import io.wsc.support.TestSubscriber;

/** Opt-in history: message ids, JSON frames for wsc.v1.json subscribers, and resuming with ?since=. */
@QuarkusTest
@TestProfile(HistoryProfile.class)
class HistorySocketTest {

    private static final String JSON = "wsc.v1.json";

    @TestHTTPResource("/")
    URI base;

    @Inject
    ChannelHub hub;

    private static String uniqueChannel() {
        return "history/" + UUID.randomUUID();
    }

    /** Publishes text and returns the receipt's message_id. */
    private static String publish(String channel, String body) {
        return withKey().contentType("text/plain; charset=utf-8").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/" + channel).then().statusCode(201).extract().path("message_id");
    }

    private static JsonObject nextJson(JsonSubscriber subscriber) throws InterruptedException {
        return subscriber.next();
    }

    /** The frame that ends a resume's catch-up. */
    static JsonObject caughtUp(int count) {
        return new JsonObject().put("type", "caught_up").put("count", count);
    }

    @Test
    void receiptsCarryIncreasingIdsAndJsonSubscribersGetThem() throws Exception {
        String channel = uniqueChannel();
        try (JsonSubscriber json = JsonSubscriber.connect(base, "/" + channel);
                TestSubscriber raw = TestSubscriber.connect(base, "/" + channel)) {
            String first = publish(channel, "one \"quoted\"\n");
            String second = publish(channel, "two");
            assertEquals(Long.parseLong(first) + 1, Long.parseLong(second));
            assertEquals(new JsonObject().put("id", first).put("data", "one \"quoted\"\n"), nextJson(json));
            assertEquals(new JsonObject().put("id", second).put("data", "two"), nextJson(json));
            assertEquals("one \"quoted\"\n", raw.next());
            assertEquals("two", raw.next());
        }
    }

    @Test
    void binaryDataIsBase64WithAFlag() throws Exception {
        String channel = uniqueChannel();
        byte[] body = {0, 1, 2, (byte) 0xff, 10};
        try (JsonSubscriber json = JsonSubscriber.connect(base, "/" + channel);
                TestSubscriber raw = TestSubscriber.connect(base, "/" + channel)) {
            String id = withKey().contentType("application/octet-stream").body(body).post("/" + channel).then()
                    .statusCode(201).extract().path("message_id");
            JsonObject frame = nextJson(json);
            assertEquals(id, frame.getString("id"));
            assertTrue(frame.getBoolean("binary"));
            assertArrayEquals(body, Base64.getDecoder().decode(frame.getString("data")));
            assertArrayEquals(body, (byte[]) raw.next());
        }
    }

    @Test
    void reconnectWithSinceGetsExactlyWhatWasMissedThenLiveMessages() throws Exception {
        String channel = uniqueChannel();
        String lastSeen;
        long first = 0;
        try (JsonSubscriber subscriber = JsonSubscriber.connect(base, "/" + channel)) {
            for (int i = 1; i <= 50; i++) {
                long id = Long.parseLong(publish(channel, "m" + i));
                first = i == 1 ? id : first;
            }
            JsonObject last = null;
            for (int i = 1; i <= 50; i++) {
                last = nextJson(subscriber);
                assertEquals("m" + i, last.getString("data"));
            }
            lastSeen = last.getString("id");
        }
        awaitPeers(channel, 0);
        for (int i = 51; i <= 80; i++) {
            publish(channel, "m" + i);
        }
        try (JsonSubscriber resumed = JsonSubscriber.connect(base, "/" + channel + "?since=" + lastSeen)) {
            for (int i = 51; i <= 80; i++) {
                JsonObject frame = nextJson(resumed);
                assertEquals(String.valueOf(first + i - 1), frame.getString("id"));
                assertEquals("m" + i, frame.getString("data"));
            }
            assertEquals(caughtUp(30), nextJson(resumed));
            publish(channel, "live");
            assertEquals(new JsonObject().put("id", String.valueOf(first + 80)).put("data", "live"), nextJson(resumed));
            assertTrue(resumed.staysSilent(Duration.ofMillis(300)));
        }
    }

    @Test
    void aSinceOlderThanTheHistoryGetsAGapSignalThenWhatIsKept() throws Exception {
        String channel = uniqueChannel();
        int published = HistoryProfile.SIZE + 20;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= published; i++) {
            ids.add(publish(channel, "m" + i));
        }
        try (JsonSubscriber resumed = JsonSubscriber.connect(base, "/" + channel + "?since=" + ids.get(2))) {
            JsonObject gap = nextJson(resumed);
            assertEquals("gap", gap.getString("type"));
            assertEquals(ids.get(2), gap.getString("since"));
            assertEquals(ids.get(20), gap.getString("next"));
            for (int i = 21; i <= published; i++) {
                assertEquals(ids.get(i - 1), nextJson(resumed).getString("id"));
            }
            assertEquals(caughtUp(published - 20), nextJson(resumed));
            assertTrue(resumed.staysSilent(Duration.ofMillis(300)));
        }
    }

    @Test
    void sinceTheLatestIdGetsNothingButLiveMessages() throws Exception {
        String channel = uniqueChannel();
        String last = publish(channel, "before");
        try (JsonSubscriber resumed = JsonSubscriber.connect(base, "/" + channel + "?since=" + last)) {
            assertEquals(caughtUp(0), nextJson(resumed));
            assertTrue(resumed.staysSilent(Duration.ofMillis(200)));
            publish(channel, "after");
            assertEquals("after", nextJson(resumed).getString("data"));
        }
    }

    /** Publishes race the resuming upgrade: every id after `since` arrives once, in order, with no gap at the seam. */
    @Test
    void noGapAndNoDuplicateWhenPublishesRaceTheJoin() throws Exception {
        String channel = uniqueChannel();
        int total = 90; // within the ring, so nothing is lost by size
        long first = Long.parseLong(publish(channel, "m1"));
        for (int i = 2; i <= 10; i++) {
            publish(channel, "m" + i);
        }
        long since = first + 4;
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int i = 11; i <= total; i++) {
                publish(channel, "m" + i);
            }
        });
        List<JsonSubscriber> subscribers = new ArrayList<>();
        try {
            for (int round = 0; round < 10 && !publishing.isDone(); round++) {
                subscribers.add(JsonSubscriber.connect(base, "/" + channel + "?since=" + since));
                Thread.sleep(5);
            }
            publishing.get(60, TimeUnit.SECONDS);
            for (int n = 0; n < subscribers.size(); n++) {
                JsonSubscriber subscriber = subscribers.get(n);
                List<String> expected = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                for (int i = 6; i <= total; i++) {
                    expected.add(String.valueOf(first + i - 1));
                    JsonObject frame = subscriber.nextMessage();
                    ids.add(frame.getString("id"));
                    assertEquals("m" + (Long.parseLong(frame.getString("id")) - first + 1), frame.getString("data"));
                }
                if (subscriber.caughtUpSignals() == 0) { // every message came from history
                    assertEquals(caughtUp(total - 5), nextJson(subscriber));
                } else {
                    assertEquals(1, subscriber.caughtUpSignals());
                }
                assertEquals(expected, ids, "subscriber " + n + " of " + subscribers.size());
                assertTrue(subscriber.staysSilent(Duration.ofMillis(200)));
            }
        } finally {
            subscribers.forEach(JsonSubscriber::close);
        }
        assertFalse(subscribers.isEmpty());
    }

    @Test
    void theJavaClientsReceiptCarriesTheMessageId() throws Exception {
        String channel = uniqueChannel();
        WscClient client = WscClient.builder().baseUri(base).accessKey(TestKey.KEY).build();
        Optional<String> first = client.send(channel, "one").messageId();
        Optional<String> second = client.send(channel, "two").messageId();
        assertTrue(first.isPresent());
        assertEquals(Optional.of(String.valueOf(Long.parseLong(first.get()) + 1)), second);
    }

    @Test
    void anInvalidSinceIsRefused() {
        String path = "/" + uniqueChannel();
        assertEquals(400, upgradeStatus(path + "?since=abc", List.of(JSON)));
        assertEquals(400, upgradeStatus(path + "?since=-1", List.of(JSON)));
        assertEquals(400, upgradeStatus(path + "?since=", List.of(JSON)));
        assertEquals(400, upgradeStatus(path + "?since=99999999999999999999", List.of(JSON)));
        assertEquals(400, upgradeStatus(path + "?since=1", List.of())); // raw frames carry no ids to resume from
        assertEquals(101, upgradeStatus(path + "?since=0", List.of(JSON)));
    }

    @Test
    void keptBytesAreCounted() {
        long before = hub.historyBytes();
        publish(uniqueChannel(), "12345");
        assertEquals(before + 5, hub.historyBytes());
    }

    private int upgradeStatus(String path, List<String> subprotocols) {
        return TestSubscriber.upgradeStatus(base, path, Map.of(), subprotocols);
    }
}
