package io.wsc.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import io.restassured.specification.RequestSpecification;

/** The test profile's access key (upper case on purpose), and requests that carry it. */
public final class TestKey {

    public static final String KEY = "A0B1C2D3";

    private TestKey() {
    }

    public static RequestSpecification withKey() {
        return given().header("access-key", KEY);
    }

    /** Waits until the channel's stats report {@code peers} subscribers: closes are noticed asynchronously. */
    public static void awaitPeers(String channel, int peers) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> withKey()
                .get("/" + channel).then().body("stat.peers", equalTo(peers)));
    }
}
