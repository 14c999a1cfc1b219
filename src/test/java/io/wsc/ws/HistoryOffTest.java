package io.wsc.ws;

import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.wsc.support.JsonSubscriber;
import io.wsc.support.RawWebSocket;
import io.wsc.support.TestSubscriber;

/** History off (the default): no ids anywhere, raw frames unchanged, JSON frames without an id. */
@QuarkusTest
class HistoryOffTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void noMessageIdAndRawFramesUnchanged() throws Exception {
        String channel = "history-off/" + UUID.randomUUID();
        try (TestSubscriber raw = TestSubscriber.connect(base, "/" + channel);
                JsonSubscriber json = JsonSubscriber.connect(base, "/" + channel)) {
            withKey().contentType("text/plain").body("plain".getBytes(StandardCharsets.UTF_8)).post("/" + channel)
                    .then().statusCode(201).body("recipients", equalTo(2)).body("$", not(hasKey("message_id")));
            assertEquals("plain", raw.next());
            assertEquals(new JsonObject().put("data", "plain"), json.next());
        }
    }

    @Test
    void resumingWithoutHistoryGetsAGapSignal() throws Exception {
        String channel = "history-off/" + UUID.randomUUID();
        withKey().body("lost").post("/" + channel).then().statusCode(201);
        try (JsonSubscriber resumed = JsonSubscriber.connect(base, "/" + channel + "?since=0")) {
            JsonObject gap = resumed.next();
            assertEquals("gap", gap.getString("type"));
            assertEquals(HistorySocketTest.caughtUp(0), resumed.next());
            withKey().body("live").post("/" + channel).then().statusCode(201);
            assertEquals(new JsonObject().put("data", "live"), resumed.next());
        }
    }

    /** A raw socket: the catch-up goes out right behind the 101, before any live message. */
    @Test
    void aRawClientGetsTheGapFrameRightAfterTheUpgrade() throws Exception {
        String channel = "history-off/" + UUID.randomUUID();
        try (RawWebSocket raw = RawWebSocket.upgrade(base, "/" + channel + "?since=0",
                65536, "Sec-WebSocket-Protocol: wsc.v1.json\r\n")) {
            assertEquals(101, raw.status());
            JsonObject gap = new JsonObject(new String(raw.readFrame().payload(), StandardCharsets.UTF_8));
            assertEquals("gap", gap.getString("type"));
            assertEquals(HistorySocketTest.caughtUp(0),
                    new JsonObject(new String(raw.readFrame().payload(), StandardCharsets.UTF_8)));
        }
    }

    /** Nothing is kept to rewind: refused with a status that says so, not answered with an empty rewind. */
    @Test
    void rewindNeedsHistory() throws Exception {
        String path = "/history-off/" + UUID.randomUUID() + "?rewind=3";
        assertEquals(400, TestSubscriber.upgradeStatus(base, path, java.util.Map.of(), java.util.List.of()));
        assertEquals(400, TestSubscriber.upgradeStatus(base, path, java.util.Map.of(),
                java.util.List.of("wsc.v1.json")));
        try (io.wsc.support.EventStreamClient refused = io.wsc.support.EventStreamClient.connect(base, path)) {
            assertEquals(400, refused.status());
            assertEquals("rewind needs message history, which this server does not keep (wsc.history.size is 0)",
                    new JsonObject(refused.body()).getString("status"));
        }
    }
}
