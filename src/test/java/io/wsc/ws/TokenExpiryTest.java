package io.wsc.ws;

import static io.wsc.hardening.SecuredProfile.SECRET;
import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.wsc.client.SubscriberToken;
import io.wsc.hardening.SecuredProfile;
import io.wsc.support.EventStreamClient;
import io.wsc.support.ExpiringTokens;
import io.wsc.support.TestSubscriber;

/**
 * An open connection closes when its token's {@code exp} passes, plus the 10 s of clock skew an upgrade allows (the
 * moment the same token would be refused): WebSockets with 4401, event streams with a last event.
 */
@QuarkusTest
@TestProfile(SecuredProfile.class)
class TokenExpiryTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry registry;

    private static String channel() {
        return "secured/" + UUID.randomUUID();
    }

    @Test
    void aWebSocketClosesWith4401WhenItsTokenExpires() throws Exception {
        String channel = channel();
        double before = expired();
        try (TestSubscriber expiring = TestSubscriber.connect(base, "/" + channel + "?token="
                + ExpiringTokens.closingIn(SECRET, Duration.ofSeconds(2), channel));
                TestSubscriber lasting = TestSubscriber.connect(base, "/" + channel + "?token="
                        + SubscriberToken.mint(SECRET, Duration.ofMinutes(5), channel))) {
            withKey().body("while valid").post("/" + channel).then().body("recipients", equalTo(2));
            assertEquals("while valid", expiring.next());
            assertEquals(4401, (int) expiring.closeCode.get(15, TimeUnit.SECONDS));
            assertEquals("token expired", expiring.closeReason);
            awaitPeers(channel, 1);
            assertFalse(lasting.isClosed(), "a token that lasts keeps its connection");
            assertEquals(before + 1, expired());
        }
    }

    @Test
    void aTokenThatExpiresLaterKeepsItsConnectionUntilThen() throws Exception {
        String channel = channel();
        Instant exp = Instant.now().plusSeconds(2);
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel + "?token="
                + SubscriberToken.mint(SECRET, Instant.now(), exp, List.of(channel)))) {
            int code = subscriber.closeCode.get(ExpiringTokens.GRACE_SECONDS + 10, TimeUnit.SECONDS);
            assertEquals(4401, code);
            assertTrue(Instant.now().isAfter(exp.plusSeconds(ExpiringTokens.GRACE_SECONDS - 1)),
                    "not before exp and the grace");
        }
    }

    @Test
    void anEventStreamGetsADisconnectedEventAndEnds() throws Exception {
        String channel = channel();
        try (EventStreamClient stream = EventStreamClient.connect(base, "/" + channel + "?token="
                + ExpiringTokens.closingIn(SECRET, Duration.ofSeconds(2), channel))) {
            assertEquals(200, stream.status());
            EventStreamClient.Event last = stream.poll(Duration.ofSeconds(15));
            assertEquals("disconnected", last.type());
            assertEquals(new JsonObject().put("code", 4401).put("reason", "token expired"),
                    new JsonObject(last.data()));
            assertTrue(stream.awaitEnd(Duration.ofSeconds(10)));
        }
    }

    private double expired() {
        return registry.counter("wsc.subscriber.disconnects", "reason", "token_expired").count();
    }
}
