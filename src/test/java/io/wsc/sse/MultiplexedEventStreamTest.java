package io.wsc.sse;

import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.wsc.support.EventStreamClient;
import io.wsc.support.EventStreamClient.Event;

/**
 * One event stream, several channels: each event's data is the wsc.v1.json frame naming its channel (signals too, so
 * {@code onmessage} gets them all), each message's id is the stream's place in every channel, and it resumes per
 * channel with {@code since}, or with the {@code Last-Event-ID} a reconnecting {@code EventSource} sends.
 */
@QuarkusTest
@TestProfile(EventStreamProfile.class)
class MultiplexedEventStreamTest {

    @TestHTTPResource("/")
    URI base;

    private static String unique(String prefix) {
        return prefix + "/" + UUID.randomUUID();
    }

    private static String publish(String channel, String body) {
        return withKey().contentType("text/plain; charset=utf-8").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/" + channel).then().statusCode(201).extract().path("message_id");
    }

    private EventStreamClient subscribe(String path) throws IOException {
        EventStreamClient client = EventStreamClient.connect(base, path, Map.of());
        assertEquals(200, client.status(), client.body());
        return client;
    }

    /** The next event's JSON; multiplexed events have no type. */
    private static JsonObject next(EventStreamClient stream) throws InterruptedException {
        return new JsonObject(nextEvent(stream).data());
    }

    private static Event nextEvent(EventStreamClient stream) throws InterruptedException {
        Event event = stream.next();
        assertNull(event.type());
        return event;
    }

    /** The next {@code count} events as "channel data" (signals as "channel type count"), and the last one's id. */
    private static List<String> view(EventStreamClient stream, int count, String[] lastId) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Event event = nextEvent(stream);
            JsonObject frame = new JsonObject(event.data());
            assertEquals(frame.containsKey("type"), event.id() == null, "messages have ids, signals none: " + event);
            seen.add(frame.getString("channel") + " " + (frame.containsKey("type")
                    ? frame.getString("type") + " " + frame.getValue("count") : frame.getString("data")));
            if (event.id() != null) {
                lastId[0] = event.id();
            }
        }
        return seen;
    }

    @Test
    void eachMessageIsIdentifiedByTheStreamsPlaceInEveryChannel() throws Exception {
        String room = unique("room");
        String user = unique("user");
        String r1 = publish(room, "r1");
        try (EventStreamClient stream = subscribe("/" + room + "?channel=" + user)) {
            String u1 = publish(user, "u1");
            Event event = nextEvent(stream);
            assertEquals("u1", new JsonObject(event.data()).getString("data"));
            assertEquals(r1 + "," + u1, event.id(), "the room starts where it was when the stream joined");
            String r2 = publish(room, "r2");
            assertEquals(r2 + "," + u1, nextEvent(stream).id());
        }
    }

    @Test
    void aReconnectWithTheLastIdResumesEveryChannelOnceAndDoesNotRewindAgain() throws Exception {
        String room = unique("room");
        String user = unique("user");
        String quiet = unique("quiet");
        publish(room, "r1");
        publish(room, "r2");
        String path = "/" + room + "?channel=" + user + "&channel=" + quiet + "&rewind=5";
        String[] lastId = new String[1];
        try (EventStreamClient stream = subscribe(path)) {
            List<String> first = view(stream, 5, lastId);
            assertTrue(first.containsAll(List.of(room + " r1", room + " r2", room + " caught_up 2",
                    user + " caught_up 0", quiet + " caught_up 0")), first.toString());
            publish(user, "u1");
            publish(room, "r3");
            assertEquals(List.of(user + " u1", room + " r3"), view(stream, 2, lastId));
        }
        awaitPeers(room, 0);
        publish(room, "r4"); // while it is away
        publish(user, "u2");
        publish(quiet, "q1");
        try (EventStreamClient stream = EventStreamClient.connect(base, path, Map.of("Last-Event-ID", lastId[0]))) {
            assertEquals(200, stream.status(), stream.body());
            List<String> resumed = view(stream, 6, lastId);
            assertEquals(6, resumed.size());
            assertTrue(resumed.containsAll(List.of(room + " r4", room + " caught_up 1", user + " u2",
                    user + " caught_up 1", quiet + " q1", quiet + " caught_up 1")), resumed.toString());
            assertTrue(stream.staysSilent(Duration.ofMillis(300)), "nothing rewound again, nothing twice");
        }
        try (EventStreamClient stream = EventStreamClient.connect(base, path, Map.of("Last-Event-ID", "5,6"))) {
            assertEquals(400, stream.status(), "two positions for three channels");
        }
    }

    @Test
    void eventsOfEveryChannelCarryTheirChannelInTheData() throws Exception {
        String room = unique("room");
        String user = unique("user");
        try (EventStreamClient stream = subscribe("/" + room + "?channel=" + user)) {
            String id = publish(user, "line one\nline two");
            assertEquals(new JsonObject().put("channel", user).put("id", id).put("data", "line one\nline two"),
                    next(stream));
            byte[] bytes = {0, 1, (byte) 0xff};
            withKey().contentType("application/octet-stream").body(bytes).post("/" + room).then().statusCode(201);
            JsonObject binary = next(stream);
            assertEquals(room, binary.getString("channel"));
            assertTrue(binary.getBoolean("binary"));
            assertEquals(Base64.getEncoder().encodeToString(bytes), binary.getString("data"));
            withKey().get("/" + user).then().body("stat.peers", org.hamcrest.Matchers.equalTo(1));
        }
        awaitPeers(room, 0);
        awaitPeers(user, 0);
    }

    @Test
    void eachChannelResumesWithItsOwnSince() throws Exception {
        String room = unique("room");
        String user = unique("user");
        String roomSeen = publish(room, "r1");
        publish(room, "r2");
        String userLatest = publish(user, "u1");
        try (EventStreamClient stream = subscribe("/" + room + "?channel=" + user + "&since=" + room + ":" + roomSeen
                + "&since=" + user + ":" + userLatest)) {
            JsonObject[] frames = {next(stream), next(stream), next(stream)};
            assertTrue(java.util.List.of(frames).contains(new JsonObject().put("type", "caught_up")
                    .put("channel", user).put("count", 0)));
            assertTrue(java.util.List.of(frames).contains(new JsonObject().put("type", "caught_up")
                    .put("channel", room).put("count", 1)));
            assertTrue(java.util.List.of(frames).stream().anyMatch(f -> "r2".equals(f.getString("data"))));
            assertTrue(stream.staysSilent(Duration.ofMillis(300)));
        }
    }

    @Test
    void refusals() throws Exception {
        String room = unique("room");
        try (EventStreamClient stream = EventStreamClient.connect(base,
                "/" + room + "?channel=other&lastEventId=5", Map.of())) {
            assertEquals(400, stream.status(), "one id cannot stand for several channels");
            assertTrue(stream.body().contains("\"status\""), stream.body());
        }
        try (EventStreamClient stream = EventStreamClient.connect(base,
                "/" + room + "?channel=other&since=unknown:5", Map.of())) {
            assertEquals(400, stream.status());
        }
        try (EventStreamClient stream = EventStreamClient.connect(base,
                "/" + room + "?channel=" + "x".repeat(300), Map.of())) {
            assertEquals(400, stream.status(), "a channel name over 255 characters");
        }
    }
}
