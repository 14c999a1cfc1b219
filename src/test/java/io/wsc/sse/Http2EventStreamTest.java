package io.wsc.sse;

import static io.wsc.support.TestKey.KEY;
import static io.wsc.support.TestKey.awaitPeers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.Subscriber;
import io.wsc.support.EventStreamClient.Event;
import io.wsc.support.Http2Client;
import io.wsc.support.Http2Client.Stream;
import io.wsc.support.TestCertificate;

/**
 * Event streams over HTTP/2 on the TLS port (ALPN, the generated test certificate): several streams and the publishes
 * share one connection, each stream gets its messages once and in order, and a stream that is reset or that stops
 * reading leaves the others on the connection working.
 */
@QuarkusTest
@TestProfile(Http2TlsProfile.class)
class Http2EventStreamTest {

    @TestHTTPResource(value = "/", tls = true)
    URI tls;

    @Inject
    Vertx vertx;

    @Inject
    ChannelHub hub;

    private static String unique(String name) {
        return "h2/" + name + "/" + UUID.randomUUID();
    }

    /** Publishes over the client's connection; returns the message id. */
    private static String publish(Http2Client client, String channel, String body) throws Exception {
        Http2Client.Answer answer = client.send(HttpMethod.POST, "/" + channel,
                Map.of("access-key", KEY, "content-type", "text/plain"), body);
        assertEquals(201, answer.status(), answer.body());
        assertEquals(HttpVersion.HTTP_2, answer.version());
        return new JsonObject(answer.body()).getString("message_id");
    }

    private static Stream subscribe(Http2Client client, String path) throws Exception {
        Stream stream = client.subscribe(path, Map.of());
        assertEquals(200, stream.status());
        assertEquals(HttpVersion.HTTP_2, stream.version());
        return stream;
    }

    @Test
    void severalStreamsAndThePublishesShareOneConnectionAndEachStreamGetsItsMessagesInOrder() throws Exception {
        String room = unique("room");
        String news = unique("news");
        try (Http2Client client = Http2Client.to(vertx, tls)) {
            Stream first = subscribe(client, "/" + room);
            Stream second = subscribe(client, "/" + room);
            Stream other = subscribe(client, "/" + news);
            Stream both = subscribe(client, "/" + room + "?channel=" + news);
            assertEquals("text/event-stream", first.header("content-type"));
            for (Stream stream : List.of(second, other, both)) {
                assertSame(first.connection(), stream.connection(), "one connection");
            }
            awaitPeers(room, 3);
            awaitPeers(news, 2);

            List<String> roomIds = new ArrayList<>();
            List<String> newsIds = new ArrayList<>();
            for (int i = 1; i <= 60; i++) {
                roomIds.add(publish(client, room, "room " + i));
                newsIds.add(publish(client, news, "news " + i));
            }
            assertSame(first.connection(), client.send(HttpMethod.GET, "/" + room, Map.of("access-key", KEY), null)
                    .connection(), "publishes went over the same connection");
            for (Stream stream : List.of(first, second)) {
                for (int i = 1; i <= 60; i++) {
                    assertEquals(new Event(roomIds.get(i - 1), null, "room " + i, null, null), stream.next());
                }
            }
            for (int i = 1; i <= 60; i++) {
                assertEquals(new Event(newsIds.get(i - 1), null, "news " + i, null, null), other.next());
            }
            List<String> roomSeen = new ArrayList<>();
            List<String> newsSeen = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                JsonObject event = new JsonObject(both.next().data());
                (event.getString("channel").equals(room) ? roomSeen : newsSeen).add(event.getString("id"));
            }
            assertEquals(roomIds, roomSeen);
            assertEquals(newsIds, newsSeen);
        }
        awaitPeers(room, 0);
        awaitPeers(news, 0);
    }

    @Test
    void aResetStreamLeavesItsChannelAndTheOtherStreamsOnTheConnectionKeepReceiving() throws Exception {
        String channel = unique("reset");
        try (Http2Client client = Http2Client.to(vertx, tls)) {
            Stream kept = subscribe(client, "/" + channel);
            Stream reset = subscribe(client, "/" + channel);
            Stream alsoKept = subscribe(client, "/" + channel);
            awaitPeers(channel, 3);
            String before = publish(client, channel, "before");
            for (Stream stream : List.of(kept, reset, alsoKept)) {
                assertEquals(before, stream.next().id());
            }

            reset.reset();
            awaitPeers(channel, 2);
            for (int i = 1; i <= 20; i++) {
                String id = publish(client, channel, "after " + i);
                assertEquals(new Event(id, null, "after " + i, null, null), kept.next());
                assertEquals(new Event(id, null, "after " + i, null, null), alsoKept.next());
            }
            assertSame(kept.connection(), alsoKept.connection());
        }
        awaitPeers(channel, 0);
    }

    @Test
    void aStreamResumesAfterItsLastEventIdAndTakesLiveMessagesAfterTheCatchUp() throws Exception {
        String channel = unique("resume");
        try (Http2Client client = Http2Client.to(vertx, tls)) {
            String seen = publish(client, channel, "one");
            String missed = publish(client, channel, "two");
            Stream resumed = client.subscribe("/" + channel, Map.of("Last-Event-ID", seen));
            assertEquals(new Event(missed, null, "two", null, null), resumed.next());
            assertEquals(EventStreamTest.caughtUp(1), resumed.next());
            String live = publish(client, channel, "three");
            assertEquals(new Event(live, null, "three", null, null), resumed.next());
        }
    }

    /**
     * The client stops reading one stream, so it grants no more flow-control credit for it: the server holds what it
     * cannot send up to wsc.max-pending-bytes, then resets that stream (counted as slow), while the other stream on the
     * same connection gets every message.
     */
    @Test
    void aStalledStreamIsResetAtThePendingBoundAndTheOtherStreamGetsEverything() throws Exception {
        String channel = unique("stalled");
        long slowBefore = hub.slowSubscriberDisconnects();
        try (Http2Client client = Http2Client.to(vertx, tls)) {
            Stream reading = subscribe(client, "/" + channel);
            Stream stalled = subscribe(client, "/" + channel);
            awaitPeers(channel, 2);
            stalled.pause();
            String body = "x".repeat(16 * 1024);
            int messages = 3 * Http2TlsProfile.MAX_PENDING_BYTES / body.length();
            for (int i = 1; i <= messages; i++) {
                String id = publish(client, channel, body);
                assertEquals(id, reading.next().id(), "message " + i);
            }
            assertInstanceOf(StreamResetException.class, stalled.awaitEnd(Duration.ofSeconds(10)));
            awaitPeers(channel, 1);
            assertEquals(slowBefore + 1, hub.slowSubscriberDisconnects());
            String last = publish(client, channel, "still here");
            assertEquals(last, reading.next().id());
        }
    }

    /**
     * A WebSocket stays HTTP/1.1: its client negotiates http/1.1 by ALPN on a connection of its own, next to the
     * HTTP/2 one that publishes.
     */
    @Test
    void aWebSocketOnTheTlsPortGetsWhatIsPublishedOverHttp2() throws Exception {
        String channel = unique("ws");
        WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setSsl(true)
                .setTrustOptions(new PfxOptions().setPath(TestCertificate.keyStore().toString())
                        .setPassword(TestCertificate.PASSWORD)));
        try (Http2Client client = Http2Client.to(vertx, tls)) {
            CompletableFuture<String> received = new CompletableFuture<>();
            var socket = sockets.connect(tls.getPort(), tls.getHost(), "/" + channel)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            socket.textMessageHandler(received::complete);
            assertTrue(socket.isSsl());
            awaitPeers(channel, 1);
            publish(client, channel, "over h2");
            assertEquals("over h2", received.get(10, TimeUnit.SECONDS));
            socket.close();
        } finally {
            sockets.close();
        }
        awaitPeers(channel, 0);
    }

    /**
     * On shutdown a stream ends properly behind its queued events, and the connection gets a GOAWAY: the browser's
     * reconnection then opens a new connection, which a load balancer can send to another node.
     */
    @Test
    void aStreamTheServerEndsEndsProperlyAndItsConnectionIsToldToGoAway() throws Exception {
        String channel = unique("ended");
        try (Http2Client client = Http2Client.to(vertx, tls)) {
            Stream ended = subscribe(client, "/" + channel);
            CompletableFuture<Long> goAway = new CompletableFuture<>();
            ended.connection().goAwayHandler(frame -> goAway.complete(frame.getErrorCode()));
            awaitPeers(channel, 1);
            String last = publish(client, channel, "last");
            hub.subscribers().stream().filter(s -> s.channelId().equals(channel)).forEach(Subscriber::closeGracefully);
            assertEquals(last, ended.next().id());
            assertNull(ended.awaitEnd(Duration.ofSeconds(10)), "ended, not reset");
            assertEquals(0L, goAway.get(10, TimeUnit.SECONDS), "GOAWAY with NO_ERROR");
        }
        awaitPeers(channel, 0);
    }

    /**
     * A DELETE ends the channel's stream with its last event, but the connection is not told to go away: its other
     * streams, and the DELETE's own answer, go on over it.
     */
    @Test
    void aDisconnectedStreamEndsWithItsLastEventAndTheConnectionGoesOn() throws Exception {
        String channel = unique("disconnected");
        String other = unique("other");
        try (Http2Client client = Http2Client.to(vertx, tls)) {
            Stream disconnected = subscribe(client, "/" + channel);
            Stream staying = subscribe(client, "/" + other);
            CompletableFuture<Long> goAway = new CompletableFuture<>();
            disconnected.connection().goAwayHandler(frame -> goAway.complete(frame.getErrorCode()));
            awaitPeers(channel, 1);
            Http2Client.Answer answer = client.send(HttpMethod.DELETE, "/" + channel, Map.of("access-key", KEY), null);
            assertEquals(200, answer.status(), answer.body());
            assertEquals(new Event(null, "disconnected",
                    "{\"code\":4403,\"reason\":\"disconnected by the backend\"}", null, null), disconnected.next());
            assertNull(disconnected.awaitEnd(Duration.ofSeconds(10)), "ended, not reset");
            String id = publish(client, other, "still here");
            assertEquals(new Event(id, null, "still here", null, null), staying.next());
            assertTrue(!goAway.isDone(), "no GOAWAY");
        }
        awaitPeers(channel, 0);
    }

    @Test
    void anIdleStreamGetsHeartbeats() throws Exception {
        try (Http2Client client = Http2Client.to(vertx, tls)) {
            Stream stream = subscribe(client, "/" + unique("idle"));
            assertTrue(stream.connection().isSsl());
            assertEquals("", stream.nextComment().comment()); // wsc.sse.heartbeat is 500 ms here
        }
    }
}
