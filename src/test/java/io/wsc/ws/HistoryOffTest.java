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
                TestSubscriber json = TestSubscriber.connect(base, "/" + channel, "wsc.v1.json")) {
            withKey().contentType("text/plain").body("plain".getBytes(StandardCharsets.UTF_8)).post("/" + channel)
                    .then().statusCode(201).body("recipients", equalTo(2)).body("$", not(hasKey("message_id")));
            assertEquals("plain", raw.next());
            assertEquals(new JsonObject().put("data", "plain"), new JsonObject((String) json.next()));
        }
    }

    @Test
    void resumingWithoutHistoryGetsAGapSignal() throws Exception {
        String channel = "history-off/" + UUID.randomUUID();
        withKey().body("lost").post("/" + channel).then().statusCode(201);
        try (TestSubscriber resumed = TestSubscriber.connect(base, "/" + channel + "?since=0", "wsc.v1.json")) {
            JsonObject gap = new JsonObject((String) resumed.next());
            assertEquals("gap", gap.getString("type"));
            withKey().body("live").post("/" + channel).then().statusCode(201);
            assertEquals(new JsonObject().put("data", "live"), new JsonObject((String) resumed.next()));
        }
    }
}
