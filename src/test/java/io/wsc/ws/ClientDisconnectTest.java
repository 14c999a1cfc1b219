package io.wsc.ws;

import static io.wsc.hardening.SecuredProfile.SECRET;
import static io.wsc.support.TestKey.awaitPeers;
import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.wsc.client.SubscriberToken;
import io.wsc.client.WscClient;
import io.wsc.hardening.SecuredProfile;
import io.wsc.support.EventStreamClient;
import io.wsc.support.TestKey;
import io.wsc.support.TestSubscriber;

/** {@code DELETE /?sub=alice} closes every connection whose token names alice, on any channel, and no other. */
@QuarkusTest
@TestProfile(SecuredProfile.class)
class ClientDisconnectTest {

    @TestHTTPResource("/")
    URI base;

    private static String token(String sub, String channel) {
        return SubscriberToken.mintFor(SECRET, Duration.ofMinutes(1), sub, null, channel);
    }

    @Test
    void everyConnectionOfTheClientClosesAndOthersStay() throws Exception {
        String sub = "alice-" + UUID.randomUUID();
        String room = "secured/" + UUID.randomUUID();
        String news = "secured/" + UUID.randomUUID();
        WscClient client = WscClient.builder().baseUri(base).accessKey(TestKey.KEY).build();
        try (TestSubscriber aliceInRoom = TestSubscriber.connect(base, "/" + room + "?token=" + token(sub, room));
                EventStreamClient aliceOnNews = EventStreamClient.connect(base, "/" + news + "?token="
                        + token(sub, news));
                TestSubscriber bob = TestSubscriber.connect(base, "/" + room + "?token=" + token("bob", room));
                TestSubscriber anonymous = TestSubscriber.connect(base, "/" + room + "?token="
                        + SubscriberToken.mint(SECRET, Duration.ofMinutes(1), room))) {
            assertEquals(200, aliceOnNews.status());
            awaitPeers(news, 1);
            client.disconnectClient(sub);
            assertEquals(4403, aliceInRoom.awaitClose());
            assertEquals("disconnected by the backend", aliceInRoom.closeReason);
            EventStreamClient.Event last = aliceOnNews.next();
            assertEquals("disconnected", last.type());
            assertEquals(4403, new JsonObject(last.data()).getInteger("code"));
            assertTrue(aliceOnNews.awaitEnd(Duration.ofSeconds(10)));
            awaitPeers(room, 2);
            withKey().body("for the others").post("/" + room).then().body("recipients", equalTo(2));
            assertEquals("for the others", bob.next());
            assertEquals("for the others", anonymous.next());
        }
    }

    @Test
    void theAnswerNamesTheClient() {
        withKey().queryParam("sub", "nobody-" + UUID.randomUUID()).delete("/").then().statusCode(200)
                .body("status", equalTo("disconnected")).body("sub", startsWith("nobody-"));
    }

    @Test
    void aSubGoesToTheRootPathAloneAndNonEmpty() {
        withKey().queryParam("sub", "alice").delete("/secured/room").then().statusCode(400)
                .body("status", startsWith("?sub= closes the client's connections on every channel"));
        withKey().queryParam("sub", "").delete("/").then().statusCode(400)
                .body("status", equalTo("?sub= takes one non-empty sub"));
        withKey().queryParam("sub", "alice", "bob").delete("/").then().statusCode(400);
    }
}
