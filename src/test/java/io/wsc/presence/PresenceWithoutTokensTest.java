package io.wsc.presence;

import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.containsString;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Assertions;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wsc.support.TestSubscriber;

/** Without subscriber tokens nobody can be identified: presence is refused with a sentence that says why. */
@QuarkusTest
class PresenceWithoutTokensTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void presenceNeedsSubscriberTokens() {
        withKey().get("/chat/room/1?presence").then().statusCode(400)
                .body("status", containsString("Presence needs subscriber tokens"));
        withKey().get("/chat/room/1").then().statusCode(200); // stats as before
        Assertions.assertEquals(400, TestSubscriber.upgradeStatus(base, "/chat/room/1?presence=events", Map.of(),
                List.of("wsc.v1.json")));
    }
}
