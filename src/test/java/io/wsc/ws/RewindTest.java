package io.wsc.ws;

import static io.wsc.support.TestKey.withKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.wsc.support.EventStreamClient;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.RawWebSocket;
import io.wsc.support.TestSubscriber;

/**
 * {@code ?rewind=N}: a first subscription gets the newest N kept messages, then the live ones, with none missing or
 * repeated at the seam, on raw and {@code wsc.v1.json} WebSockets and on event streams; bounded by what is kept.
 */
@QuarkusTest
@TestProfile(HistoryProfile.class)
class RewindTest {

    private static final int TOTAL = 60;
    private static final int BEFORE = 10;
    private static final int REWIND = 5;

    @TestHTTPResource("/")
    URI base;

    private static String uniqueChannel() {
        return "rewind/" + UUID.randomUUID();
    }

    private static String publish(String channel, String body) {
        return withKey().contentType("text/plain; charset=utf-8").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/" + channel).then().statusCode(201).extract().path("message_id");
    }

    /** Publishes m{from} to m{to} and returns their ids. */
    private static List<String> publishRange(String channel, int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            ids.add(publish(channel, "m" + i));
        }
        return ids;
    }

    private static List<String> range(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "m" + i).toList();
    }

    @Test
    void aJsonSubscriberGetsTheNewestNThenLiveMessages() throws Exception {
        String channel = uniqueChannel();
        List<String> ids = publishRange(channel, 1, BEFORE);
        try (JsonSubscriber subscriber = JsonSubscriber.connect(base, "/" + channel + "?rewind=3")) {
            for (int i = 8; i <= 10; i++) {
                assertEquals(new JsonObject().put("id", ids.get(i - 1)).put("data", "m" + i), subscriber.next());
            }
            assertEquals(HistorySocketTest.caughtUp(3), subscriber.next(), "no gap signal before the newest three");
            String live = publish(channel, "live");
            assertEquals(new JsonObject().put("id", live).put("data", "live"), subscriber.next());
            assertTrue(subscriber.staysSilent(Duration.ofMillis(300)));
        }
    }

    /** A raw socket: the newest N frames right behind the 101, as they were published, and no signal frames. */
    @Test
    void aRawSubscriberGetsTheNewestNAsTheyWerePublished() throws Exception {
        String channel = uniqueChannel();
        publishRange(channel, 1, BEFORE);
        try (RawWebSocket raw = RawWebSocket.upgrade(base, "/" + channel + "?rewind=3", 65536)) {
            assertEquals(101, raw.status());
            assertEquals(range(8, 10), List.of(text(raw), text(raw), text(raw)));
            publish(channel, "live");
            assertEquals("live", text(raw));
            raw.readTimeout(300);
            assertNull(readOrNull(raw), "nothing more");
        }
    }

    @Test
    void anEventStreamGetsTheNewestNThenLiveEvents() throws Exception {
        String channel = uniqueChannel();
        List<String> ids = publishRange(channel, 1, BEFORE);
        try (EventStreamClient stream = EventStreamClient.connect(base, "/" + channel + "?rewind=2")) {
            assertEquals(200, stream.status(), stream.body());
            assertEquals(new EventStreamClient.Event(ids.get(8), null, "m9", null, null), stream.next());
            assertEquals(new EventStreamClient.Event(ids.get(9), null, "m10", null, null), stream.next());
            assertEquals(new EventStreamClient.Event(null, "caught_up", "{\"count\":2}", null, null), stream.next());
            String live = publish(channel, "live");
            assertEquals(new EventStreamClient.Event(live, null, "live", null, null), stream.next());
        }
    }

    /** A reconnecting EventSource sends Last-Event-ID on the same URL: it resumes from there, it does not rewind. */
    @Test
    void anEventStreamWithLastEventIdResumesInsteadOfRewinding() throws Exception {
        String channel = uniqueChannel();
        List<String> ids = publishRange(channel, 1, BEFORE);
        try (EventStreamClient stream = EventStreamClient.connect(base, "/" + channel + "?rewind=5",
                Map.of("Last-Event-ID", ids.get(8)))) {
            assertEquals("m10", stream.next().data());
            assertEquals("caught_up", stream.next().type());
        }
    }

    /** Several channels: each rewinds, except the one that resumes from its own id. */
    @Test
    void aMultiplexedConnectionRewindsEachChannelButTheOneThatResumes() throws Exception {
        String room = uniqueChannel();
        String user = uniqueChannel();
        publishRange(room, 1, 4);
        String userSeen = publish(user, "u1");
        publish(user, "u2");
        publish(user, "u3");
        String path = "/" + room + "?channel=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&rewind=2&since="
                + URLEncoder.encode(user + ":" + userSeen, StandardCharsets.UTF_8);
        try (JsonSubscriber subscriber = JsonSubscriber.connect(base, path)) {
            List<JsonObject> frames = List.of(subscriber.next(), subscriber.next(), subscriber.next(),
                    subscriber.next(), subscriber.next(), subscriber.next());
            assertEquals(List.of("m3", "m4", "caught_up 2"), MultiplexedSocketTest.view(frames, room));
            assertEquals(List.of("u2", "u3", "caught_up 2"), MultiplexedSocketTest.view(frames, user));
            assertTrue(subscriber.staysSilent(Duration.ofMillis(300)));
        }
    }

    @Test
    void aRewindPastWhatIsKeptGetsWhatIsKeptWithoutAGap() throws Exception {
        String channel = uniqueChannel();
        int published = HistoryProfile.SIZE + 10;
        publishRange(channel, 1, published);
        for (String rewind : List.of("1000", "99999999999999999999")) {
            try (JsonSubscriber subscriber = JsonSubscriber.connect(base, "/" + channel + "?rewind=" + rewind)) {
                List<String> data = new ArrayList<>();
                for (int i = 0; i < HistoryProfile.SIZE; i++) {
                    data.add(subscriber.next().getString("data"));
                }
                assertEquals(range(11, published), data, "what is kept, oldest first, no gap signal");
                assertEquals(HistorySocketTest.caughtUp(HistoryProfile.SIZE), subscriber.next());
            }
        }
        try (JsonSubscriber nothing = JsonSubscriber.connect(base, "/" + uniqueChannel() + "?rewind=5");
                JsonSubscriber zero = JsonSubscriber.connect(base, "/" + channel + "?rewind=0")) {
            assertEquals(HistorySocketTest.caughtUp(0), nothing.next(), "a channel with nothing kept");
            assertTrue(zero.staysSilent(Duration.ofMillis(300)), "rewind=0 asks for nothing");
        }
    }

    /** Publishes race the rewinding subscriptions: the newest N, then every later message once, no hole at the seam. */
    @Test
    void noGapAndNoRepeatWhenPublishesRaceTheSubscription() throws Exception {
        String channel = uniqueChannel();
        publishRange(channel, 1, BEFORE);
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            publishRange(channel, BEFORE + 1, TOTAL);
        });
        List<JsonSubscriber> json = new ArrayList<>();
        List<EventStreamClient> streams = new ArrayList<>();
        List<RawWebSocket> raws = new ArrayList<>();
        String query = "/" + channel + "?rewind=" + REWIND;
        try {
            for (int round = 0; round < 6 && !publishing.isDone(); round++) {
                json.add(JsonSubscriber.connect(base, query));
                streams.add(EventStreamClient.connect(base, query));
                raws.add(RawWebSocket.upgrade(base, query, 1 << 20));
                Thread.sleep(5);
            }
            publishing.get(60, TimeUnit.SECONDS);
            for (JsonSubscriber subscriber : json) {
                assertSeamless(() -> {
                    JsonObject frame = subscriber.next();
                    return frame.containsKey("type") ? frame.getString("type") + " " + frame.getInteger("count")
                            : frame.getString("data");
                });
                assertTrue(subscriber.staysSilent(Duration.ofMillis(100)));
            }
            for (EventStreamClient stream : streams) {
                assertEquals(200, stream.status(), stream.body());
                assertSeamless(() -> {
                    EventStreamClient.Event event = stream.next();
                    return event.type() == null ? event.data()
                            : event.type() + " " + new JsonObject(event.data()).getInteger("count");
                });
            }
            for (RawWebSocket raw : raws) {
                assertEquals(101, raw.status());
                List<String> data = new ArrayList<>();
                String last = null;
                while (!("m" + TOTAL).equals(last)) {
                    last = text(raw);
                    data.add(last);
                }
                int first = Integer.parseInt(data.get(0).substring(1));
                assertEquals(range(first, TOTAL), data, "consecutive, each once");
                assertTrue(first <= TOTAL - REWIND + 1, "at least the newest " + REWIND + ": " + data);
            }
        } finally {
            json.forEach(JsonSubscriber::close);
            streams.forEach(EventStreamClient::close);
            for (RawWebSocket raw : raws) {
                raw.close();
            }
        }
        assertTrue(!json.isEmpty());
    }

    private interface Frames {
        String next() throws Exception;
    }

    /** Exactly N messages, the caught-up signal, then the rest to the last one published: consecutive, each once. */
    private static void assertSeamless(Frames frames) throws Exception {
        List<String> rewound = new ArrayList<>();
        for (int i = 0; i < REWIND; i++) {
            rewound.add(frames.next());
        }
        assertEquals("caught_up " + REWIND, frames.next(), "after " + rewound);
        int first = Integer.parseInt(rewound.get(0).substring(1));
        List<String> all = new ArrayList<>(rewound);
        for (int i = first + REWIND; i <= TOTAL; i++) {
            all.add(frames.next());
        }
        assertEquals(range(first, TOTAL), all);
    }

    @Test
    void anInvalidRewindIsRefused() throws Exception {
        String path = "/" + uniqueChannel();
        for (String bad : List.of("abc", "-1", "", "%2B1", "1&rewind=2", "1.5")) {
            assertEquals(400, upgradeStatus(path + "?rewind=" + bad, List.of("wsc.v1.json")), bad);
            assertEquals(400, upgradeStatus(path + "?rewind=" + bad, List.of()), bad);
            try (EventStreamClient refused = EventStreamClient.connect(base, path + "?rewind=" + bad)) {
                assertEquals(400, refused.status(), bad);
                assertEquals("rewind must be one number of messages: a decimal number, 0 or more",
                        new JsonObject(refused.body()).getString("status"));
            }
        }
        assertEquals(101, upgradeStatus(path + "?rewind=3", List.of()));
    }

    private int upgradeStatus(String path, List<String> subprotocols) {
        return TestSubscriber.upgradeStatus(base, path, Map.of(), subprotocols);
    }

    private static String text(RawWebSocket raw) throws IOException {
        RawWebSocket.Frame frame = readOrNull(raw);
        if (frame == null) {
            throw new AssertionError("The connection ended");
        }
        return new String(frame.payload(), StandardCharsets.UTF_8);
    }

    /** The next data frame (pings passed over), or null when none comes. */
    private static RawWebSocket.Frame readOrNull(RawWebSocket raw) throws IOException {
        try {
            RawWebSocket.Frame frame;
            do {
                frame = raw.readFrame();
            } while (frame != null && frame.opcode() == 9);
            return frame;
        } catch (java.net.SocketTimeoutException quiet) {
            return null;
        }
    }
}
