package io.wsc.hardening;

import static io.wsc.support.TestKey.withKey;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wsc.support.RawHttp;

/**
 * The bad-input suite: generated malformed and hostile HTTP requests, WebSocket upgrades and client frames, each with
 * the precise answer (status or close code) it must get, never a 5xx or a hang. Meanwhile a healthy subscriber on
 * another channel must receive every message a publisher keeps sending it.
 * <p>
 * Subscriber tokens (expired, forged, for another channel) and Origin checks need a server that requires them: they
 * are {@link AccessInputSuiteTest}'s.
 */
@QuarkusTest
class BadInputSuiteTest {

    private static final HealthyChannelWatch WATCH = new HealthyChannelWatch();
    private static final int TIMEOUT_MILLIS = 5000;

    @TestHTTPResource("/")
    URI base;

    @BeforeEach
    void watchTheHealthyChannel() {
        WATCH.start(base);
    }

    @AfterAll
    static void healthyChannelGotEverything() throws InterruptedException {
        WATCH.stopAndAssertEverythingArrived(50);
    }

    @Test
    void hostileHttpRequests() throws IOException {
        assertAll(HttpCases.all());
    }

    @Test
    void hostileUpgradeRequests() throws IOException {
        assertAll(UpgradeCases.all());
    }

    @Test
    void hostileClientFrames() throws IOException {
        List<String> failures = new ArrayList<>();
        List<FrameCase> cases = FrameCases.all();
        for (FrameCase frameCase : cases) {
            String failure = frameCase.check(base, TIMEOUT_MILLIS);
            if (failure != null) {
                failures.add(frameCase.name() + ": " + failure);
            }
        }
        assertNoFailures(failures, cases.size());
    }

    private void assertAll(List<HttpCase> cases) throws IOException {
        List<String> failures = new ArrayList<>();
        for (HttpCase httpCase : cases) {
            RawHttp.Response response = RawHttp.exchange(base, httpCase.request(), TIMEOUT_MILLIS);
            String failure = mismatch(httpCase, response);
            if (failure != null) {
                failures.add(httpCase + " -> " + response + ": " + failure);
            }
        }
        assertNoFailures(failures, cases.size());
        withKey().body("still serving").post("/hardening/after").then().statusCode(201);
    }

    private static String mismatch(HttpCase expected, RawHttp.Response response) {
        if (response.status() >= 500) {
            return "a 5xx";
        }
        if (response.status() != expected.status()) {
            return "expected " + switch (expected.status()) {
                case HttpCase.NO_ANSWER -> "the connection closed without an answer";
                case HttpCase.WAITS -> "the server to keep waiting";
                default -> String.valueOf(expected.status());
            };
        }
        if (expected.bodyMarker() != null && !response.body().contains(expected.bodyMarker())) {
            return "body lacks " + expected.bodyMarker();
        }
        return null;
    }

    private static void assertNoFailures(List<String> failures, int total) {
        System.out.printf("BadInputSuiteTest: %d generated cases, %d failed%n", total, failures.size());
        assertTrue(failures.isEmpty(), failures.size() + " of " + total + " cases failed:\n"
                + String.join("\n", failures.subList(0, Math.min(60, failures.size()))));
    }
}
