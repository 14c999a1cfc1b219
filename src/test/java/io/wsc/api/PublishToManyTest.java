package io.wsc.api;

import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.wsc.client.PartialPublishException;
import io.wsc.client.PublishReceipt;
import io.wsc.client.WscClient;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.TestKey;
import io.wsc.support.TestSubscriber;
import io.wsc.ws.HistoryProfile;

/**
 * One POST, several channels ({@code ?channel=}): each channel's subscribers get the body once, with the channel's own
 * id; the receipt lists every channel in the request's order; a refused request publishes nowhere; a publish without
 * the parameter keeps its receipt as it always was.
 */
@QuarkusTest
@TestProfile(HistoryProfile.class)
class PublishToManyTest {

    @TestHTTPResource("/")
    URI base;

    private static String unique(String prefix) {
        return prefix + "/" + UUID.randomUUID();
    }

    private static String channels(String... names) {
        return java.util.Arrays.stream(names).map(name -> "channel=" + URLEncoder.encode(name, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String query(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void oneBodyReachesEveryChannelsSubscribersOnceWithEachChannelsOwnId() throws Exception {
        String room = unique("room");
        String user = unique("user");
        String news = unique("news");
        String[] userId = new String[1];
        try (TestSubscriber roomRaw = TestSubscriber.connect(base, "/" + room);
                TestSubscriber newsRaw = TestSubscriber.connect(base, "/" + news);
                JsonSubscriber both = JsonSubscriber.connect(base, "/" + room + "?" + query("channel", user));
                TestSubscriber elsewhere = TestSubscriber.connect(base, "/" + unique("elsewhere"))) {
            // the parameters are normalised as paths are: case, slashes at the ends; a repeat collapses
            JsonPath receipt = withKey().contentType("text/plain; charset=utf-8").body("hello")
                    .urlEncodingEnabled(false)
                    .post("/" + room + "?" + channels("/" + user.toUpperCase() + "/", news, room)).then()
                    .statusCode(201).extract().jsonPath();
            assertEquals("Message sent", receipt.getString("status"));
            assertEquals(5, receipt.getInt("content_length"));
            assertEquals(List.of(room, user, news), receipt.getList("channels.channel_id"));
            assertEquals(List.of(2, 1, 1), receipt.getList("channels.recipients"));
            List<String> ids = receipt.getList("channels.message_id");
            assertTrue(ids.stream().allMatch(id -> id.matches("[0-9]+")), "each channel its id in its sequence: " + ids);
            userId[0] = ids.get(1);

            assertEquals("hello", roomRaw.next());
            assertEquals("hello", newsRaw.next());
            List<JsonObject> frames = List.of(both.next(), both.next());
            assertEquals(Set.of(new JsonObject().put("channel", room).put("id", ids.get(0)).put("data", "hello"),
                    new JsonObject().put("channel", user).put("id", ids.get(1)).put("data", "hello")),
                    Set.copyOf(frames), "once per channel");
            assertTrue(both.staysSilent(Duration.ofMillis(300)));
            assertTrue(roomRaw.staysSilent(Duration.ofMillis(1)) && newsRaw.staysSilent(Duration.ofMillis(1)));
            assertTrue(elsewhere.staysSilent(Duration.ofMillis(1)));
        }
        // each channel counts its publish, as a single publish would
        for (String channel : List.of(room, user, news)) {
            withKey().get("/" + channel).then().body("stat.sent_messages", equalTo(1));
        }
        assertEquals(String.valueOf(Long.parseLong(userId[0]) + 1), withKey().body("next").post("/" + user).then()
                .statusCode(201).extract().path("message_id"), "the channel's sequence goes on from it");
    }

    @Test
    void anInvalidChannelAmongValidOnesIsNamedAndNothingIsPublished() throws Exception {
        String room = unique("room");
        String user = unique("user");
        try (TestSubscriber roomRaw = TestSubscriber.connect(base, "/" + room);
                TestSubscriber userRaw = TestSubscriber.connect(base, "/" + user)) {
            String tooLong = "x".repeat(256);
            withKey().body("never").urlEncodingEnabled(false)
                    .post("/" + room + "?" + channels(user) + "&channel=bad%01name").then().statusCode(400)
                    .body("status", equalTo("Invalid channel parameter \"bad\u0001name\": Channel name contains a"
                            + " control character"));
            withKey().body("never").urlEncodingEnabled(false).post("/" + room + "?" + channels(user, tooLong)).then()
                    .statusCode(400).body("status", containsString("\"" + "x".repeat(64) + "...\""))
                    .body("status", containsString("longer than 255"));
            assertTrue(roomRaw.staysSilent(Duration.ofMillis(300)) && userRaw.staysSilent(Duration.ofMillis(1)));
        }
        withKey().get("/" + room).then().body("stat.sent_messages", equalTo(0));
        withKey().get("/" + user).then().body("stat.sent_messages", equalTo(0));
    }

    @Test
    void sixtyFourChannelsWithThePathsAndNotOneMore() {
        String path = "/" + unique("many");
        String sixtyThree = IntStream.range(0, 63).mapToObj(i -> "channel=" + path.substring(1) + "/" + i)
                .collect(Collectors.joining("&"));
        JsonPath receipt = withKey().body("x").urlEncodingEnabled(false).post(path + "?" + sixtyThree).then()
                .statusCode(201).extract().jsonPath();
        assertEquals(64, receipt.getList("channels").size());
        withKey().body("x").urlEncodingEnabled(false).post(path + "?" + sixtyThree + "&channel=one-more").then()
                .statusCode(400).body("status", equalTo(
                        "More channels than one publish may go to (wsc.max-channels-per-publish is 64)"));
        withKey().get(path + "/0").then().body("stat.sent_messages", equalTo(1));
        withKey().get("/one-more").then().body("stat.sent_messages", equalTo(0));
    }

    @Test
    void aPublishWithoutChannelParametersKeepsItsReceipt() {
        String channel = unique("single");
        for (String query : List.of("", "?other=1")) {
            Map<String, Object> receipt = withKey().body("hello").post("/" + channel + query).then().statusCode(201)
                    .extract().jsonPath().getMap("");
            assertEquals(Set.of("status", "channel_id", "content_length", "recipients", "message_id"),
                    receipt.keySet());
            assertEquals("Message sent", receipt.get("status"));
            assertEquals(channel, receipt.get("channel_id"));
        }
    }

    @Test
    void theBodyRulesAreASinglePublishs() {
        String room = unique("room");
        String user = unique("user");
        withKey().contentType("text/plain").body(new byte[] { (byte) 0xff }).urlEncodingEnabled(false)
                .post("/" + room + "?" + channels(user)).then().statusCode(400)
                .body("status", containsString("not valid UTF-8"));
        withKey().contentType("application/octet-stream").body(new byte[] { (byte) 0xff }).urlEncodingEnabled(false)
                .post("/" + room + "?" + channels(user)).then().statusCode(201);
        io.restassured.RestAssured.given().body("x").urlEncodingEnabled(false).post("/" + room + "?" + channels(user))
                .then().statusCode(401);
        withKey().get("/" + user).then().body("stat.sent_messages", equalTo(1));
    }

    @Test
    void theJavaClientSendsToManyAndGetsEachChannelsReceipt() throws Exception {
        WscClient client = WscClient.builder().baseUri(base).accessKey(TestKey.KEY).build();
        String room = unique("Room");
        String user = unique("user");
        try (TestSubscriber userRaw = TestSubscriber.connect(base, "/" + user)) {
            List<PublishReceipt> receipts = client.sendMany(List.of(room, user, "café/+1"), "to all");
            assertEquals(List.of(room.toLowerCase(), user, "café/+1"),
                    receipts.stream().map(PublishReceipt::channelId).toList());
            assertEquals(List.of(0, 1, 0), receipts.stream().map(PublishReceipt::recipients).toList());
            assertTrue(receipts.stream().allMatch(r -> r.messageId().isPresent() && r.contentLength() == 6
                    && r.status().equals("Message sent")));
            assertEquals("to all", userRaw.next());
            List<PublishReceipt> binary = client.sendMany(List.of(user), new byte[] { 1, 2 });
            assertEquals(1, binary.size());
            assertNotEquals(receipts.get(1).messageId(), binary.get(0).messageId());
        }
        withKey().urlEncodingEnabled(false).get("/caf%C3%A9/%2B1").then().body("stat.sent_messages",
                equalTo(1));
        var refused = org.junit.jupiter.api.Assertions.assertThrows(io.wsc.client.WscException.class,
                () -> client.sendMany(new ArrayList<>(IntStream.range(0, 65).mapToObj(i -> "c/" + i).toList()), "x"));
        assertEquals(400, refused.statusCode());
        assertTrue(!(refused instanceof PartialPublishException));
    }
}
