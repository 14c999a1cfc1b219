package io.wsc.metrics;

import static io.restassured.RestAssured.given;
import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wsc.support.TestSubscriber;

/** The Prometheus meters move with what happens, and none names a channel. */
@QuarkusTest
class MetricsTest {

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void publishesDeliveriesAndFlushesAreCounted() throws Exception {
        String channel = "metrics/" + UUID.randomUUID();
        try (TestSubscriber first = TestSubscriber.connect(base, "/" + channel);
                TestSubscriber second = TestSubscriber.connect(base, "/" + channel)) {
            String before = scrape();
            withKey().body("12345").post("/" + channel).then().body("recipients", equalTo(2));
            first.next();
            second.next();
            String after = scrape();
            assertEquals(1, delta(before, after, "wsc_publishes_total{outcome=\"sent\"}"));
            assertEquals(2, delta(before, after, "wsc_deliveries_total"));
            assertEquals(10, delta(before, after, "wsc_delivered_bytes_total"));
            assertEquals(1, delta(before, after, "wsc_publish_flush_seconds_count"));
            assertTrue(value(after, "wsc_connections") >= 2, after);
            assertTrue(value(after, "wsc_channels") >= 1, after);
            assertTrue(value(after, "wsc_history_bytes") == 0, "history is off by default: " + after);
            assertFalse(after.contains(channel), "no meter may name a channel");
        }
    }

    @Test
    void refusalsAreCountedByOutcomeAndReason() {
        String before = scrape();
        given().header("access-key", "wrong").body("x").post("/metrics/refused").then().statusCode(401);
        withKey().body(new byte[1024 * 1024 + 1]).post("/metrics/refused").then().statusCode(413);
        withKey().contentType("text/plain").body(new byte[] { (byte) 0xC3, 0x28 }).post("/metrics/refused").then().statusCode(400);
        assertEquals(400, TestSubscriber.upgradeStatus(base, "/a%01b", Map.of()));
        String after = scrape();
        assertEquals(1, delta(before, after, "wsc_publishes_total{outcome=\"unauthorized\"}"));
        assertEquals(1, delta(before, after, "wsc_publishes_total{outcome=\"too_large\"}"));
        assertEquals(1, delta(before, after, "wsc_publishes_total{outcome=\"invalid\"}"));
        assertEquals(1, delta(before, after, "wsc_key_rejections_total{outcome=\"wrong_key\"}"));
        assertEquals(1, delta(before, after, "wsc_upgrades_refused_total{reason=\"invalid_channel\"}"));
    }

    @Test
    void connectionsTheBackendDisconnectsAreCounted() {
        String channel = "metrics/" + UUID.randomUUID();
        try (TestSubscriber both = TestSubscriber.connect(base, "/" + channel + "?channel=" + channel + "/b",
                "wsc.v1.json")) {
            String before = scrape();
            withKey().delete("/" + channel).then().statusCode(200);
            assertEquals(4403, both.awaitClose());
            assertEquals(1, delta(before, scrape(), "wsc_subscriber_disconnects_total{reason=\"backend\"}"));
        }
    }

    @Test
    void jvmAndProcessMetersAreThereForHeapAndFiles() {
        String scraped = scrape();
        assertTrue(scraped.contains("jvm_memory_used_bytes{area=\"heap\""), "heap");
        assertTrue(scraped.contains("process_files_open_files"), "open files");
        assertTrue(scraped.contains("wsc_subscriber_disconnects_total{reason=\"slow\"}"), "slow disconnects");
    }

    private String scrape() {
        return given().get(metrics.toString()).then().statusCode(200).extract().asString();
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    /** The sample of {@code series} (name with its labels, as Prometheus writes them), 0 when absent. */
    private static double value(String scraped, String series) {
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scraped);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }
}
