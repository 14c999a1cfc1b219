package io.wsc.hardening;

import static io.restassured.RestAssured.given;
import static io.wsc.hardening.SecuredProfile.ORIGIN;
import static io.wsc.hardening.SecuredProfile.PREVIOUS_KEY;
import static io.wsc.hardening.SecuredProfile.SECRET;
import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.client.SubscriberToken;
import io.wsc.support.TestSubscriber;

/** Subscriber tokens, the origin allow-list and key rotation, over real sockets. */
@QuarkusTest
@TestProfile(SecuredProfile.class)
class SubscriberAuthTest {

    @TestHTTPResource("/")
    URI base;

    private static String channel() {
        return "secured/" + UUID.randomUUID();
    }

    private int upgrade(String path) {
        return TestSubscriber.upgradeStatus(base, path, Map.of());
    }

    @Test
    void aTokenForTheChannelLetsASubscriberInAndReceive() throws Exception {
        String channel = channel();
        String token = SubscriberToken.mint(SECRET, Duration.ofMinutes(1), channel);
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel + "?token=" + token)) {
            withKey().body("for token holders").post("/" + channel).then().body("recipients", equalTo(1));
            assertEquals("for token holders", subscriber.next());
        }
    }

    @Test
    void aMultiplexedConnectionsTokenMustCoverEveryChannel() {
        String channel = channel();
        String other = "elsewhere/" + UUID.randomUUID();
        String path = "/" + channel + "?channel=" + other + "&token=";
        List<String> json = List.of("wsc.v1.json");
        assertEquals(403, TestSubscriber.upgradeStatus(base,
                path + SubscriberToken.mint(SECRET, Duration.ofMinutes(1), channel), Map.of(), json));
        assertEquals(403, TestSubscriber.upgradeStatus(base,
                path + SubscriberToken.mint(SECRET, Duration.ofMinutes(1), other), Map.of(), json));
        assertEquals(101, TestSubscriber.upgradeStatus(base,
                path + SubscriberToken.mint(SECRET, Duration.ofMinutes(1), channel, "elsewhere/*"), Map.of(), json));
    }

    @Test
    void missingForgedExpiredAndMalformedTokensAre401() {
        String channel = channel();
        Instant now = Instant.now();
        assertEquals(401, upgrade("/" + channel));
        assertEquals(401, upgrade("/" + channel + "?token="));
        assertEquals(401, upgrade("/" + channel + "?token=not.a.jwt"));
        assertEquals(401, upgrade("/" + channel + "?token="
                + SubscriberToken.mint("another-secret-that-is-32-bytes-long!", Duration.ofMinutes(1), channel)));
        assertEquals(401, upgrade("/" + channel + "?token="
                + SubscriberToken.mint(SECRET, now.minusSeconds(600), now.minusSeconds(60), List.of(channel))));
        String valid = SubscriberToken.mint(SECRET, Duration.ofMinutes(1), channel);
        String[] parts = valid.split("\\.");
        String tamperedClaims = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertEquals(401, upgrade("/" + channel + "?token=" + tamperedClaims));
        String unsigned = parts[0].replace(parts[0], "eyJhbGciOiJub25lIn0") + "." + parts[1] + ".";
        assertEquals(401, upgrade("/" + channel + "?token=" + unsigned));
    }

    @Test
    void aTokenForAnotherChannelIs403AndPrefixesCoverTheirSubtree() {
        String channel = channel();
        assertEquals(403, upgrade("/" + channel + "?token=" + SubscriberToken.mint(SECRET, Duration.ofMinutes(1),
                "secured/someone-else")));
        String prefix = SubscriberToken.mint(SECRET, Duration.ofMinutes(1), "secured/*");
        assertEquals(101, upgrade("/" + channel + "?token=" + prefix));
        assertEquals(403, upgrade("/public/" + UUID.randomUUID() + "?token=" + prefix));
        // Names in a token are normalised like channels: case and surrounding slashes do not matter.
        assertEquals(101, upgrade("/" + channel + "?token="
                + SubscriberToken.mint(SECRET, Duration.ofMinutes(1), "/" + channel.toUpperCase() + "/")));
    }

    @Test
    void onlyListedOriginsMaySubscribe() {
        String channel = channel();
        String path = "/" + channel + "?token=" + SubscriberToken.mint(SECRET, Duration.ofMinutes(1), channel);
        assertEquals(101, TestSubscriber.upgradeStatus(base, path, Map.of("Origin", ORIGIN)));
        assertEquals(101, TestSubscriber.upgradeStatus(base, path, Map.of("Origin", "HTTPS://OTHER.example.com")));
        assertEquals(403, TestSubscriber.upgradeStatus(base, path, Map.of("Origin", "https://evil.example.com")));
        assertEquals(403, TestSubscriber.upgradeStatus(base, path, Map.of("Origin", "null")));
        assertEquals(101, upgrade(path), "a client without Origin is no browser page");
        assertEquals(101, TestSubscriber.upgradeStatus(base, path,
                Map.of("Origin", "http://" + base.getHost() + ":" + base.getPort())), "the server's own pages");
    }

    @Test
    void thePreviousKeyStillPublishesDuringARotation() {
        String channel = channel();
        given().header("access-key", PREVIOUS_KEY).body("x").post("/" + channel).then().statusCode(201);
        withKey().body("x").post("/" + channel).then().statusCode(201);
        given().header("access-key", PREVIOUS_KEY + "x").body("x").post("/" + channel).then().statusCode(401);
    }
}
