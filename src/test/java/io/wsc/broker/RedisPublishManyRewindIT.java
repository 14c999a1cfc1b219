package io.wsc.broker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wsc.client.PartialPublishException;
import io.wsc.client.WscClient;
import io.wsc.support.EventStreamClient;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.PackagedServer;
import io.wsc.support.RawWebSocket;
import io.wsc.support.RedisNodes;

/**
 * Publish to many and rewind with the Redis broker: two packaged nodes on a real redis-server. A publish to several
 * channels on one node reaches their subscribers on the other, counted cluster-wide; a channel Redis refuses is named
 * in a 503 beside the ids of those it took; a subscriber on the other node rewinds from Redis's history.
 */
class RedisPublishManyRewindIT {

    private static final String KEY = "many-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static RedisNodes nodes;
    private static PackagedServer first;
    private static PackagedServer second;

    @BeforeAll
    static void startNodes() throws Exception {
        nodes = RedisNodes.start(KEY, Map.of("WSC_HISTORY_SIZE", "100", "WSC_HISTORY_TTL", "1h")).orElse(null);
        if (nodes != null) {
            first = nodes.first;
            second = nodes.second;
        }
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static WscClient client(PackagedServer node) {
        return WscClient.builder().baseUri(node.base()).accessKey(KEY).build();
    }

    private static HttpResponse<String> post(PackagedServer node, String pathAndQuery, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(node.base().resolve(pathAndQuery)).header("access-key", KEY)
                .header("Content-Type", "text/plain; charset=utf-8").POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String publish(PackagedServer node, String channel, String body) throws Exception {
        HttpResponse<String> response = post(node, "/" + channel, body);
        assertEquals(201, response.statusCode(), response.body());
        return new JsonObject(response.body()).getString("message_id");
    }

    private static String channelParameter(String channel) {
        return "channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8);
    }

    private static void awaitPeers(String channel, int peers) {
        await().atMost(Duration.ofSeconds(10)).until(() -> client(first).stat(channel).peers() == peers);
    }

    @Test
    void aPublishToManyOnOneNodeReachesEachChannelsSubscribersOnTheOther() throws Exception {
        assumeTrue(nodes != null, "no redis-server");
        String room = "room/" + UUID.randomUUID();
        String user = "user/" + UUID.randomUUID();
        String news = "news/" + UUID.randomUUID();
        try (JsonSubscriber roomOnSecond = JsonSubscriber.connect(second.base(), "/" + room);
                JsonSubscriber bothOnSecond = JsonSubscriber.connect(second.base(),
                        "/" + room + "?" + channelParameter(user));
                JsonSubscriber newsOnFirst = JsonSubscriber.connect(first.base(), "/" + news)) {
            awaitPeers(room, 2);
            HttpResponse<String> response = post(first, "/" + room + "?" + channelParameter(user) + "&"
                    + channelParameter(news), "hello");
            assertEquals(201, response.statusCode(), response.body());
            JsonArray channels = new JsonObject(response.body()).getJsonArray("channels");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonObject entry = channels.getJsonObject(i);
                assertEquals(List.of(room, user, news).get(i), entry.getString("channel_id"));
                assertEquals(List.of(2, 1, 1).get(i), entry.getInteger("recipients"), "counted cluster-wide");
                ids.add(entry.getString("message_id"));
            }
            assertEquals(new JsonObject().put("id", ids.get(0)).put("data", "hello"), roomOnSecond.next());
            assertEquals(new JsonObject().put("id", ids.get(2)).put("data", "hello"), newsOnFirst.next());
            assertEquals(Set.of(new JsonObject().put("channel", room).put("id", ids.get(0)).put("data", "hello"),
                    new JsonObject().put("channel", user).put("id", ids.get(1)).put("data", "hello")),
                    Set.of(bothOnSecond.next(), bothOnSecond.next()), "once per channel");
            assertTrue(bothOnSecond.staysSilent(Duration.ofMillis(300)));
        }
    }

    /**
     * Redis refuses one channel's publish (its history key is no stream): the answer is a 503 that gives the other
     * channel's id and names the refused one, and only the other channel's subscribers get the message.
     */
    @Test
    void aChannelRedisRefusesIsNamedBesideTheChannelsThatTookTheMessage() throws Exception {
        assumeTrue(nodes != null, "no redis-server");
        String good = "good/" + UUID.randomUUID();
        String broken = "broken/" + UUID.randomUUID();
        assertEquals("+OK", nodes.redis.command("SET wsc:history:{" + broken + "} not-a-stream"));
        try (JsonSubscriber goodOnSecond = JsonSubscriber.connect(second.base(), "/" + good)) {
            awaitPeers(good, 1);
            HttpResponse<String> response = post(first, "/" + good + "?" + channelParameter(broken), "partly");
            assertEquals(503, response.statusCode(), response.body());
            JsonObject answer = new JsonObject(response.body());
            assertEquals("Message sent to 1 of 2 channels; publish again to those with an error",
                    answer.getString("status"));
            JsonObject sent = answer.getJsonArray("channels").getJsonObject(0);
            JsonObject refused = answer.getJsonArray("channels").getJsonObject(1);
            assertEquals(good, sent.getString("channel_id"));
            assertEquals(1, sent.getInteger("recipients"));
            assertEquals(broken, refused.getString("channel_id"));
            assertEquals("The message broker (Redis) is unavailable; try again shortly", refused.getString("error"));
            assertEquals(new JsonObject().put("id", sent.getString("message_id")).put("data", "partly"),
                    goodOnSecond.next());

            PartialPublishException partial = assertThrows(PartialPublishException.class,
                    () -> client(second).sendMany(List.of(good, broken), "again"));
            assertEquals(503, partial.statusCode());
            assertEquals(List.of(good), partial.published().stream().map(r -> r.channelId()).toList());
            assertEquals(Set.of(broken), partial.failed().keySet());
            assertEquals("again", goodOnSecond.next().getString("data"));
        }
    }

    @Test
    void aSubscriberOnTheOtherNodeRewindsWhatWasPublishedOnTheFirst() throws Exception {
        assumeTrue(nodes != null, "no redis-server");
        String channel = "rewind/" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            ids.add(publish(first, channel, "m" + i));
        }
        try (JsonSubscriber json = JsonSubscriber.connect(second.base(), "/" + channel + "?rewind=3");
                EventStreamClient stream = EventStreamClient.connect(second.base(), "/" + channel + "?rewind=2");
                RawWebSocket raw = RawWebSocket.upgrade(second.base(), "/" + channel + "?rewind=2", 65536)) {
            for (int i = 8; i <= 10; i++) {
                assertEquals(new JsonObject().put("id", ids.get(i - 1)).put("data", "m" + i), json.next());
            }
            assertEquals(new JsonObject().put("type", "caught_up").put("count", 3), json.next());
            assertEquals(200, stream.status(), stream.body());
            assertEquals(List.of("m9", "m10", "caught_up"), List.of(stream.next().data(), stream.next().data(),
                    stream.next().type()));
            assertEquals(101, raw.status());
            assertEquals("m9", new String(raw.readFrame().payload(), StandardCharsets.UTF_8));
            assertEquals("m10", new String(raw.readFrame().payload(), StandardCharsets.UTF_8));

            String live = publish(first, channel, "live");
            assertEquals(new JsonObject().put("id", live).put("data", "live"), json.next());
            assertEquals("live", stream.next().data());
            assertEquals("live", new String(raw.readFrame().payload(), StandardCharsets.UTF_8));
            assertTrue(json.staysSilent(Duration.ofMillis(300)));
        }
    }
}
