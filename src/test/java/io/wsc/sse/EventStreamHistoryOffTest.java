package io.wsc.sse;

import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.wsc.support.EventStreamClient;
import io.wsc.support.EventStreamClient.Event;
import io.wsc.support.RawHttp;

/** Event streams with history off (the default): events without ids, and refusals as JSON. */
@QuarkusTest
class EventStreamHistoryOffTest {

    @TestHTTPResource("/")
    URI base;

    private static String uniqueChannel() {
        return "sse-off/" + UUID.randomUUID();
    }

    @Test
    void eventsCarryNoId() throws Exception {
        String channel = uniqueChannel();
        try (EventStreamClient stream = EventStreamClient.connect(base, "/" + channel)) {
            assertEquals(200, stream.status());
            assertEquals("1000", stream.nextIncludingComments().retry()); // the default wsc.sse.retry
            withKey().body("plain").post("/" + channel).then().statusCode(201).body("$", not(hasKey("message_id")));
            assertEquals(new Event(null, null, "plain", null, null), stream.next());
        }
    }

    @Test
    void resumingWithoutHistoryGetsAGapEventThenLiveOnes() throws Exception {
        String channel = uniqueChannel();
        withKey().body("lost").post("/" + channel).then().statusCode(201);
        try (EventStreamClient stream = EventStreamClient.connect(base, "/" + channel, Map.of("Last-Event-ID", "7"))) {
            Event gap = stream.next();
            assertEquals("gap", gap.type());
            assertNull(gap.id());
            assertEquals(new JsonObject().put("since", "7"), new JsonObject(gap.data()), "no next: nothing is kept");
            assertEquals(EventStreamTest.caughtUp(0), stream.next());
            withKey().body("live").post("/" + channel).then().statusCode(201);
            assertEquals("live", stream.next().data());
            assertTrue(stream.staysSilent(Duration.ofMillis(200)));
        }
    }

    @Test
    void anInvalidChannelIsRefusedWithJson() throws Exception {
        try (EventStreamClient refused = EventStreamClient.connect(base, "/bad%01name")) {
            assertEquals(400, refused.status());
            assertEquals("Invalid channel name", new JsonObject(refused.body()).getString("status"));
        }
    }

    /** Events go out as chunks, which HTTP/1.0 does not have. */
    @Test
    void http10IsRefused() throws Exception {
        RawHttp.Response response = RawHttp.exchange(base, ("GET /" + uniqueChannel()
                + " HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII), 5000);
        assertEquals(505, response.status(), response.toString());
    }
}
