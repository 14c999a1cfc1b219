package io.wsc.sse;

import static io.restassured.RestAssured.given;
import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.Subscriber;
import io.wsc.support.EventStreamClient;
import io.wsc.support.EventStreamClient.Event;

/** Server-Sent Events subscribers on the channel URL, with history on, read with plain HTTP clients. */
@QuarkusTest
@TestProfile(EventStreamProfile.class)
class EventStreamTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    ChannelHub hub;

    private static String uniqueChannel() {
        return "sse/" + UUID.randomUUID();
    }

    /** Publishes text; returns the receipt's message_id. */
    /** The event that ends a resume's catch-up. */
    static Event caughtUp(int count) {
        return new Event(null, "caught_up", "{\"count\":" + count + "}", null, null);
    }

    private static String publish(String channel, String body) {
        return withKey().contentType("text/plain; charset=utf-8").body(body.getBytes(StandardCharsets.UTF_8))
                .post("/" + channel).then().statusCode(201).extract().path("message_id");
    }

    private EventStreamClient subscribe(String channel, Map<String, String> headers) throws IOException {
        EventStreamClient client = EventStreamClient.connect(base, "/" + channel, headers);
        assertEquals(200, client.status(), client.body());
        return client;
    }

    @Test
    void theStreamStartsWithItsHeadersAndARetryThenCarriesEventsWithIds() throws Exception {
        String channel = uniqueChannel();
        try (EventStreamClient stream = subscribe(channel, Map.of())) {
            assertEquals("text/event-stream", stream.header("Content-Type"));
            assertEquals("no-cache", stream.header("Cache-Control"));
            assertEquals("no", stream.header("X-Accel-Buffering"));
            assertEquals("chunked", stream.header("Transfer-Encoding"));
            assertEquals(String.valueOf(EventStreamProfile.RETRY_MILLIS), stream.nextIncludingComments().retry());
            awaitPeers(channel, 1); // a subscriber like any other
            String id = publish(channel, "hello");
            assertEquals(new Event(id, null, "hello", null, null), stream.next());
        }
        awaitPeers(channel, 0);
    }

    @Test
    void multiLineBodiesArriveAsOneDataLinePerLine() throws Exception {
        String channel = uniqueChannel();
        try (EventStreamClient stream = subscribe(channel, Map.of())) {
            publish(channel, "a\nb\r\nc");
            publish(channel, "ends with a break\n");
            assertEquals("a\nb\nc", stream.next().data()); // the client joins data lines with LF, as browsers do
            assertEquals("ends with a break\n", stream.next().data());
        }
    }

    @Test
    void binaryMessagesAreBase64EventsOfTheirOwnType() throws Exception {
        String channel = uniqueChannel();
        byte[] body = { 0, 1, 2, (byte) 0xff, 10, 13 };
        try (EventStreamClient stream = subscribe(channel, Map.of())) {
            withKey().contentType("application/octet-stream").body(body).post("/" + channel).then().statusCode(201);
            Event event = stream.next();
            assertEquals("binary", event.type());
            assertArrayEquals(body, Base64.getDecoder().decode(event.data()));
        }
    }

    /** Publish 50, drop the subscriber, publish 30, reconnect with the last id: exactly the 30, then live ones. */
    @Test
    void reconnectingWithLastEventIdGetsExactlyWhatWasMissedThenLiveEvents() throws Exception {
        String channel = uniqueChannel();
        String lastSeen = null;
        List<String> ids = new ArrayList<>();
        try (EventStreamClient stream = subscribe(channel, Map.of())) {
            for (int i = 1; i <= 50; i++) {
                ids.add(publish(channel, "m" + i));
            }
            for (int i = 1; i <= 50; i++) {
                Event event = stream.next();
                assertEquals("m" + i, event.data());
                lastSeen = event.id();
            }
        }
        awaitPeers(channel, 0);
        for (int i = 51; i <= 80; i++) {
            ids.add(publish(channel, "m" + i));
        }
        try (EventStreamClient resumed = subscribe(channel, Map.of("Last-Event-ID", lastSeen))) {
            for (int i = 51; i <= 80; i++) {
                Event event = resumed.next();
                assertEquals(ids.get(i - 1), event.id());
                assertEquals("m" + i, event.data());
            }
            assertEquals(caughtUp(30), resumed.next());
            String live = publish(channel, "live");
            assertEquals(new Event(live, null, "live", null, null), resumed.next());
            assertTrue(resumed.staysSilent(Duration.ofMillis(300)), "nothing twice");
        }
    }

    @Test
    void anIdOlderThanTheHistoryGetsAGapEventThenWhatIsKept() throws Exception {
        String channel = uniqueChannel();
        int published = EventStreamProfile.HISTORY_SIZE + 20;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= published; i++) {
            ids.add(publish(channel, "m" + i));
        }
        try (EventStreamClient resumed = subscribe(channel, Map.of("Last-Event-ID", ids.get(2)))) {
            Event gap = resumed.next();
            assertEquals("gap", gap.type());
            assertNull(gap.id(), "a gap event must not move the browser's last event id");
            assertEquals(new JsonObject().put("since", ids.get(2)).put("next", ids.get(20)), new JsonObject(gap.data()));
            for (int i = 21; i <= published; i++) {
                assertEquals(ids.get(i - 1), resumed.next().id());
            }
            assertEquals(caughtUp(EventStreamProfile.HISTORY_SIZE), resumed.next());
            assertTrue(resumed.staysSilent(Duration.ofMillis(300)));
        }
    }

    @Test
    void theQueryParameterResumesAFirstConnectionAndTheHeaderWinsOverIt() throws Exception {
        String channel = uniqueChannel();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(publish(channel, "m" + i));
        }
        try (EventStreamClient fromQuery = subscribe(channel + "?lastEventId=" + ids.get(2), Map.of());
                EventStreamClient fromHeader = subscribe(channel + "?lastEventId=" + ids.get(0),
                        Map.of("Last-Event-ID", ids.get(3)))) {
            assertEquals(ids.get(3), fromQuery.next().id());
            assertEquals(ids.get(4), fromQuery.next().id());
            assertEquals(caughtUp(2), fromQuery.next());
            assertEquals(ids.get(4), fromHeader.next().id());
            assertEquals(caughtUp(1), fromHeader.next());
        }
    }

    @Test
    void anInvalidLastEventIdIsRefusedWithJson() throws Exception {
        String channel = uniqueChannel();
        for (String invalid : List.of("abc", "-1", "", "99999999999999999999")) {
            try (EventStreamClient refused = EventStreamClient.connect(base, "/" + channel,
                    Map.of("Last-Event-ID", invalid))) {
                assertEquals(400, refused.status(), invalid);
                assertEquals("application/json", refused.header("Content-Type"));
                assertTrue(new JsonObject(refused.body()).getString("status").contains("message id"));
            }
        }
        try (EventStreamClient refused = EventStreamClient.connect(base, "/" + channel + "?lastEventId=x")) {
            assertEquals(400, refused.status());
        }
    }

    @Test
    void withTheKeyAGetIsStillStatsAndABrowserStillGetsThePage() {
        String channel = uniqueChannel();
        withKey().accept("text/event-stream").get("/" + channel).then().statusCode(200)
                .contentType("application/json").body("channel_id", equalTo(channel));
        given().accept("text/html").get("/" + channel).then().statusCode(200).contentType(containsString("text/html"));
        given().accept("*/*").get("/" + channel).then().statusCode(401); // neither a page nor a stream: stats
        given().accept("text/event-stream;q=0").get("/" + channel).then().statusCode(401);
    }

    @Test
    void quietStreamsGetHeartbeatsAndAreNotTakenForSilentWebSockets() throws Exception {
        String channel = uniqueChannel();
        try (EventStreamClient stream = subscribe(channel, Map.of())) {
            stream.nextIncludingComments(); // retry
            int heartbeats = 0;
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos(); // six pings' time (EventStreamProfile)
            while (System.nanoTime() < until) {
                Event event = stream.nextIncludingComments();
                assertTrue(event.isComment(), event.toString());
                assertEquals("", event.comment());
                heartbeats++;
            }
            assertTrue(heartbeats >= 4, heartbeats + " heartbeats");
            String id = publish(channel, "still here");
            assertEquals(id, stream.next().id());
        }
    }

    /** The server ends the stream properly (its last chunk) on shutdown; an EventSource then reconnects. */
    @Test
    void closingGracefullyEndsTheResponseWithItsLastChunk() throws Exception {
        String channel = uniqueChannel();
        try (EventStreamClient stream = subscribe(channel, Map.of())) {
            awaitPeers(channel, 1);
            publish(channel, "before the end");
            subscribersOf(channel).forEach(Subscriber::closeGracefully);
            assertEquals("before the end", stream.next().data());
            assertTrue(stream.awaitEnd(Duration.ofSeconds(5)));
        }
        awaitPeers(channel, 0);
    }

    /** A stream that is not read is dropped once its pending output passes the limit, like a slow WebSocket. */
    @Test
    void aStreamThatIsNotReadIsDroppedAndTheOthersCarryOn() throws Exception {
        String channel = uniqueChannel();
        long evictedBefore = hub.slowSubscriberDisconnects();
        try (Socket stalled = new Socket(); EventStreamClient reader = subscribe(channel, Map.of())) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress(base.getHost(), base.getPort()));
            stalled.getOutputStream().write(("GET /" + channel + " HTTP/1.1\r\nHost: x\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            awaitPeers(channel, 2);
            String big = "x".repeat(1024 * 1024);
            int published = 0;
            while (hub.slowSubscriberDisconnects() == evictedBefore && published < 40) {
                publish(channel, big); // 4 MiB pending (wsc.max-pending-bytes) plus what the kernel buffers
                published++;
            }
            awaitPeers(channel, 1);
            assertTrue(hub.slowSubscriberDisconnects() > evictedBefore);
            for (int i = 0; i < published; i++) {
                assertEquals(big.length(), reader.next().data().length());
            }
        }
    }

    /** A page on another origin may read the stream (any origin is allowed here, as for WebSockets). */
    @Test
    void anotherOriginIsToldItMayReadTheStream() throws Exception {
        try (EventStreamClient stream = subscribe(uniqueChannel(), Map.of("Origin", "https://app.example.com"))) {
            assertEquals("https://app.example.com", stream.header("Access-Control-Allow-Origin"));
        }
    }

    @Test
    void theJdkHttpClientReadsTheStream() throws Exception {
        String channel = uniqueChannel();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<Stream<String>> response = client.send(HttpRequest.newBuilder(base.resolve("/" + channel))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            assertEquals("retry: " + EventStreamProfile.RETRY_MILLIS, it.next());
            assertEquals("", it.next());
            awaitPeers(channel, 1);
            String id = publish(channel, "two\nlines");
            List<String> event = new ArrayList<>();
            while (event.isEmpty()) { // heartbeats (a comment line, a blank line) may come first
                for (String line = it.next(); !line.isEmpty(); line = it.next()) {
                    if (!line.startsWith(":")) {
                        event.add(line);
                    }
                }
            }
            assertEquals(List.of("id: " + id, "data: two", "data: lines"), event);
        }
    }

    private List<Subscriber> subscribersOf(String channel) {
        return hub.subscribers().stream().filter(s -> s.channelId().equals(channel)).toList();
    }
}
