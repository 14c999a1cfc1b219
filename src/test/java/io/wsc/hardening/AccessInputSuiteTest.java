package io.wsc.hardening;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.client.SubscriberToken;
import io.wsc.support.RawHttp;

/**
 * The bad-input suite's access part, on a server that requires subscriber tokens and checks origins: expired,
 * forged, tampered and other-channel tokens and foreign origins get their exact status, while a healthy token holder
 * on another channel receives every message.
 */
@QuarkusTest
@TestProfile(SecuredProfile.class)
class AccessInputSuiteTest {

    private static final HealthyChannelWatch WATCH = new HealthyChannelWatch();

    @TestHTTPResource("/")
    URI base;

    @AfterAll
    static void healthyChannelGotEverything() throws InterruptedException {
        WATCH.stopAndAssertEverythingArrived(20);
    }

    @Test
    void tokensAndOrigins() throws IOException {
        WATCH.start(base, channel -> "/" + channel + "?token="
                + SubscriberToken.mint(SecuredProfile.SECRET, Duration.ofMinutes(10), channel));
        List<HttpCase> cases = AccessCases.all();
        List<String> failures = new ArrayList<>();
        for (HttpCase access : cases) {
            RawHttp.Response response = RawHttp.exchange(base, access.request(), 5000);
            if (response.status() != access.status()) {
                failures.add(access + " -> " + response + ": expected " + access.status());
            }
        }
        // The cases take well under a second: let the healthy channel see enough traffic to mean something.
        WATCH.awaitPublished(20);
        System.out.printf("AccessInputSuiteTest: %d generated cases, %d failed%n", cases.size(), failures.size());
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases failed:\n"
                + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    }
}
