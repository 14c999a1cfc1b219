package io.wsc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Probes answer on the management interface, not on the public port that channels own. */
@QuarkusTest
class HealthTest {

    @TestHTTPResource(value = "/health", management = true)
    URL health;

    @Test
    void liveReadyAndStartedAreUp() {
        for (String probe : new String[] { "/live", "/ready", "/started" }) {
            given().get(health + probe).then().log().ifValidationFails().statusCode(200).body("status", equalTo("UP"));
        }
    }

    @Test
    void healthIsNotOnThePublicPort() {
        given().header("access-key", "A0B1C2D3").get("/q/health/ready").then().statusCode(404);
    }
}
