package io.wsc.hardening;

import static io.restassured.RestAssured.given;
import static io.wsc.hardening.LimitsProfile.MAX_CHANNELS;
import static io.wsc.hardening.LimitsProfile.MAX_CONNECTIONS;
import static io.wsc.hardening.LimitsProfile.MAX_KEY_FAILURES;
import static io.wsc.support.TestKey.withKey;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.channel.ChannelHub;
import io.wsc.support.TestSubscriber;

/** wsc.max-connections, wsc.max-channels and the wrong-key limit, at their edges. */
@QuarkusTest
@TestProfile(LimitsProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the channel test fills the node: it runs after the others
class NodeLimitsTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    ChannelHub hub;

    @Test
    @Order(1)
    void upgradesPastMaxConnectionsAre503UntilOneLeaves() {
        String channel = "limits/" + UUID.randomUUID();
        await().until(() -> hub.connectionCount() == 0);
        List<TestSubscriber> subscribers = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                subscribers.add(TestSubscriber.connect(base, "/" + channel));
            }
            assertEquals(503, TestSubscriber.upgradeStatus(base, "/" + channel, Map.of()));
            withKey().body("still served").post("/" + channel).then().body("recipients", equalTo(MAX_CONNECTIONS));
            subscribers.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.connectionCount() == MAX_CONNECTIONS - 1);
            assertEquals(101, TestSubscriber.upgradeStatus(base, "/" + channel, Map.of()));
        } finally {
            subscribers.forEach(TestSubscriber::close);
        }
    }

    @Test
    @Order(3)
    void channelsPastMaxChannelsAre503ButKnownOnesKeepWorking() {
        String known = "limits/known-" + UUID.randomUUID();
        withKey().body("x").post("/" + known).then().statusCode(201);
        while (hub.channelCount() < MAX_CHANNELS) {
            withKey().body("x").post("/limits/fill-" + UUID.randomUUID()).then().statusCode(201);
        }
        withKey().body("x").post("/limits/one-too-many").then().statusCode(503)
                .body("status", equalTo("Too many channels on this server (wsc.max-channels); publish to an existing channel"));
        assertEquals(503, TestSubscriber.upgradeStatus(base, "/limits/one-too-many", Map.of()));
        withKey().body("x").post("/" + known).then().statusCode(201);
        assertEquals(101, TestSubscriber.upgradeStatus(base, "/" + known, Map.of()));
    }

    @Test
    @Order(2)
    void repeatedWrongKeysAre429ForAWindowEvenWithTheRightKey() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> withKey().get("/x").then().statusCode(200));
        for (int i = 0; i < MAX_KEY_FAILURES; i++) {
            given().header("access-key", "guess-" + i).get("/x").then().statusCode(401);
        }
        withKey().get("/x").then().statusCode(429)
                .header("Retry-After", "2")
                .body("status", equalTo("Too many wrong access keys from this address; try again later"));
        given().header("access-key", "guess").body("x").post("/x").then().statusCode(429);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> withKey().get("/x").then().statusCode(200));
    }
}
