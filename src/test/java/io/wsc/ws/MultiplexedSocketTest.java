package io.wsc.ws;

import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.wsc.channel.ChannelHub;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.TestSubscriber;

/**
 * One wsc.v1.json WebSocket, several channels: the path's plus each ?channel=, frames naming their channel, one
 * connection counted once per channel in peers, resuming each channel from its own id, and the refusals.
 */
@QuarkusTest
@TestProfile(HistoryProfile.class)
class MultiplexedSocketTest {

    private static final String JSON = "wsc.v1.json";

    @TestHTTPResource("/")
    URI base;

    @Inject
    ChannelHub hub;

    private static String unique(String prefix) {
        return prefix + "/" + UUID.randomUUID();
    }

    private static String publish(String channel, String body) {
        return withKey().contentType("text/plain; charset=utf-8").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/" + channel).then().statusCode(201).extract().path("message_id");
    }

    private static String query(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonObject message(String channel, String id, String data) {
        return new JsonObject().put("channel", channel).put("id", id).put("data", data);
    }

    @Test
    void oneConnectionGetsEveryChannelsMessagesNamedAndCountsOncePerChannel() throws Exception {
        String room = unique("room");
        String user = unique("user");
        int connectionsBefore = hub.connectionCount();
        // the parameter is normalised like a path: case, slashes and spaces at the ends
        try (JsonSubscriber subscriber = JsonSubscriber.connect(base,
                "/" + room + "?" + query("channel", " /" + user.toUpperCase() + "/ ") + "&" + query("channel", room))) {
            assertEquals(connectionsBefore + 1, hub.connectionCount(), "one connection");
            withKey().get("/" + room).then().body("stat.peers", org.hamcrest.Matchers.equalTo(1));
            withKey().get("/" + user).then().body("stat.peers", org.hamcrest.Matchers.equalTo(1));

            String first = publish(room, "to the room");
            String second = publish(user, "to the user");
            withKey().body("not subscribed").post("/" + unique("other")).then().statusCode(201);
            assertEquals(1, (int) withKey().body("again").post("/" + room).then().extract().path("recipients"));

            assertEquals(message(room, first, "to the room"), subscriber.next());
            assertEquals(message(user, second, "to the user"), subscriber.next());
            assertEquals("again", subscriber.next().getString("data"));
            assertTrue(subscriber.staysSilent(Duration.ofMillis(300)), "nothing of other channels, nothing twice");
        }
        awaitPeers(room, 0);
        awaitPeers(user, 0);
        assertEquals(connectionsBefore, hub.connectionCount());
    }

    @Test
    void eachChannelResumesFromItsOwnId() throws Exception {
        String room = unique("room");
        String user = "user:" + UUID.randomUUID(); // a colon in the name: the id follows the last one
        String roomSeen = publish(room, "r1");
        publish(room, "r2");
        String userSeen = publish(user, "u1");
        publish(user, "u2");
        publish(user, "u3");
        String path = "/" + room + "?" + query("channel", user) + "&" + query("since", roomSeen) // bare: the path's
                + "&" + query("since", user + ":" + userSeen);
        try (JsonSubscriber resumed = JsonSubscriber.connect(base, path)) {
            List<JsonObject> frames = IntStream.range(0, 5).mapToObj(i -> next(resumed)).toList();
            // each channel's catch-up, in order and then its signal; the two channels' frames may interleave
            assertEquals(List.of("r2", "caught_up 1"), view(frames, room));
            assertEquals(List.of("u2", "u3", "caught_up 2"), view(frames, user));
            assertEquals(String.valueOf(Long.parseLong(userSeen) + 1), frames.stream()
                    .filter(f -> "u2".equals(f.getString("data"))).findFirst().orElseThrow().getString("id"));
            publish(user, "live");
            assertEquals("live", resumed.next().getString("data"));
        }
    }

    @Test
    void refusals() {
        String path = "/" + unique("refused");
        String channel = query("channel", unique("other"));
        assertEquals(101, upgradeStatus(path + "?" + channel, List.of(JSON)));
        assertEquals(400, upgradeStatus(path + "?" + channel, List.of()), "raw frames cannot name a channel");
        assertEquals(400, upgradeStatus(path + "?channel=a%01b", List.of(JSON)), "invalid channel name");
        assertEquals(400, upgradeStatus(path + "?" + channel + "&since=nowhere:1", List.of(JSON)), "not subscribed");
        assertEquals(400, upgradeStatus(path + "?" + channel + "&since=1&since=2", List.of(JSON)), "the path twice");
        assertEquals(400, upgradeStatus(path + "?" + channel + "&since=x", List.of(JSON)));
        String sixtyThree = IntStream.range(0, 63).mapToObj(i -> "channel=c" + i).collect(Collectors.joining("&"));
        assertEquals(101, upgradeStatus(path + "?" + sixtyThree, List.of(JSON)), "64 channels with the path's");
        assertEquals(400, upgradeStatus(path + "?" + sixtyThree + "&channel=one-more", List.of(JSON)));
    }

    private int upgradeStatus(String path, List<String> subprotocols) {
        return TestSubscriber.upgradeStatus(base, path, Map.of(), subprotocols);
    }

    /** One channel's frames: a message as its data, a signal as its type and count. */
    static List<String> view(List<JsonObject> frames, String channel) {
        return frames.stream().filter(f -> channel.equals(f.getString("channel")))
                .map(f -> f.containsKey("type") ? f.getString("type") + " " + f.getInteger("count") : f.getString("data"))
                .toList();
    }

    private static JsonObject next(JsonSubscriber subscriber) {
        try {
            return subscriber.next();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
