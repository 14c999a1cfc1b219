package io.wsc.sse;

import static io.wsc.hardening.SecuredProfile.ORIGIN;
import static io.wsc.hardening.SecuredProfile.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.wsc.client.SubscriberToken;
import io.wsc.hardening.SecuredProfile;
import io.wsc.support.EventStreamClient;

/** An event stream passes the same subscriber token and origin checks as a WebSocket, refused with JSON. */
@QuarkusTest
@TestProfile(SecuredProfile.class)
class EventStreamAuthTest {

    @TestHTTPResource("/")
    URI base;

    private static String channel() {
        return "secured-sse/" + UUID.randomUUID();
    }

    private int status(String path, Map<String, String> headers) throws Exception {
        try (EventStreamClient client = EventStreamClient.connect(base, path, headers)) {
            if (client.status() != 200) {
                assertNotNull(new JsonObject(client.body()).getString("status"), client.body());
            }
            return client.status();
        }
    }

    @Test
    void tokensAreCheckedLikeAWebSocketsOnes() throws Exception {
        String channel = channel();
        assertEquals(401, status("/" + channel, Map.of()));
        assertEquals(401, status("/" + channel + "?token=not.a.jwt", Map.of()));
        assertEquals(403, status("/" + channel + "?token="
                + SubscriberToken.mint(SECRET, Duration.ofMinutes(1), "someone/else"), Map.of()));
        assertEquals(200, status("/" + channel + "?token="
                + SubscriberToken.mint(SECRET, Duration.ofMinutes(1), channel), Map.of()));
    }

    @Test
    void onlyAllowedOriginsMayReadTheStream() throws Exception {
        String channel = channel();
        String path = "/" + channel + "?token=" + SubscriberToken.mint(SECRET, Duration.ofMinutes(1), channel);
        assertEquals(403, status(path, Map.of("Origin", "https://evil.example.com")));
        try (EventStreamClient allowed = EventStreamClient.connect(base, path, Map.of("Origin", ORIGIN))) {
            assertEquals(200, allowed.status());
            assertEquals(ORIGIN, allowed.header("Access-Control-Allow-Origin"));
        }
        try (EventStreamClient noOrigin = EventStreamClient.connect(base, path, Map.of())) {
            assertEquals(200, noOrigin.status());
            assertNull(noOrigin.header("Access-Control-Allow-Origin"));
        }
    }
}
