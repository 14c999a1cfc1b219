package io.wsc.api;

import static io.restassured.RestAssured.given;
import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.wsc.support.EventStreamClient;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.TestSubscriber;

/** DELETE on a channel's URL closes its subscribers: raw and JSON WebSockets with 4403, event streams ended. */
@QuarkusTest
class DisconnectTest {

    static final String REASON = "disconnected by the backend";

    @TestHTTPResource("/")
    URI base;

    private static String unique() {
        return "disconnect/" + UUID.randomUUID();
    }

    @Test
    void aRawSubscriberGetsWhatWasPublishedBeforeThen4403WithTheReason() {
        String channel = unique();
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel);
                TestSubscriber second = TestSubscriber.connect(base, "/" + channel)) {
            withKey().body("before").post("/" + channel).then().statusCode(201);
            withKey().delete("/" + channel).then().statusCode(200).body("status", equalTo("disconnected"))
                    .body("channel", equalTo(channel)).body("subscribers", equalTo(2));
            assertEquals(4403, subscriber.awaitClose());
            assertEquals(REASON, subscriber.closeReason);
            assertEquals("before", subscriber.received.poll(), "published before the DELETE, so sent before it");
            assertEquals(4403, second.awaitClose());
        }
        awaitPeers(channel, 0);
    }

    @Test
    void aMultiplexedConnectionClosesAsAWholeAndOtherChannelsStayOpen() throws Exception {
        String room = unique();
        String news = unique();
        try (TestSubscriber both = TestSubscriber.connect(base, "/" + room + "?channel=" + news, "wsc.v1.json");
                JsonSubscriber newsOnly = JsonSubscriber.connect(base, "/" + news)) {
            withKey().delete("/" + room).then().statusCode(200).body("subscribers", equalTo(1));
            assertEquals(4403, both.awaitClose());
            assertEquals(REASON, both.closeReason);
            awaitPeers(news, 1);
            withKey().body("still here").post("/" + news).then().body("recipients", equalTo(1));
            assertEquals("still here", newsOnly.next().getString("data"));
        }
    }

    @Test
    void anEventStreamGetsADisconnectedEventAndEnds() throws Exception {
        String channel = unique();
        try (EventStreamClient stream = EventStreamClient.connect(base, "/" + channel)) {
            assertEquals(200, stream.status());
            awaitPeers(channel, 1);
            withKey().delete("/" + channel).then().statusCode(200).body("subscribers", equalTo(1));
            EventStreamClient.Event last = stream.next();
            assertEquals("disconnected", last.type());
            assertEquals(new JsonObject().put("code", 4403).put("reason", REASON), new JsonObject(last.data()));
            assertTrue(stream.awaitEnd(Duration.ofSeconds(10)), "ended with its last chunk");
        }
    }

    @Test
    void aChannelNobodyListensToAnswersZero() {
        withKey().delete("/" + unique()).then().statusCode(200).body("subscribers", equalTo(0));
    }

    @Test
    void withoutTheRightKeyNothingIsClosed() throws Exception {
        String channel = unique();
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel)) {
            given().delete("/" + channel).then().statusCode(401).body("status", equalTo("Not authorized"));
            given().header("access-key", "wrong").delete("/" + channel).then().statusCode(401);
            withKey().body("still open").post("/" + channel).then().body("recipients", equalTo(1));
            assertEquals("still open", subscriber.next());
            assertFalse(subscriber.isClosed());
        }
    }

    @Test
    void aClientCannotBeNamedWithoutSubscriberTokens() {
        withKey().queryParam("sub", "alice").delete("/").then().statusCode(400)
                .body("status", startsWith("?sub= needs subscriber tokens"));
    }
}
