package io.wsc.hardening;

import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.wsc.support.AuthorizeBackend;
import io.wsc.support.EventStreamClient;
import io.wsc.support.TestSubscriber;

/** The subscribe hook (wsc.subscribe.authorize-url) against a real HTTP backend started by the test. */
@QuarkusTest
@TestProfile(SubscribeHookTest.HookProfile.class)
class SubscribeHookTest {

    static final AuthorizeBackend BACKEND = new AuthorizeBackend();

    /** A hook with a short timeout, two questions at most in flight, and answers reused for a minute. */
    public static class HookProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wsc.subscribe.authorize-url", BACKEND.url().toString(),
                    "wsc.subscribe.authorize-timeout", "500ms",
                    "wsc.subscribe.authorize-max-concurrent", "2",
                    "wsc.subscribe.authorize-cache", "60s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void forgetQuestions() {
        BACKEND.questions.clear();
    }

    private static String channel() {
        return "hooked/" + UUID.randomUUID();
    }

    private int upgrade(String path, String user) {
        return TestSubscriber.upgradeStatus(base, path, Map.of("Cookie", "user=" + user));
    }

    @Test
    void anAdmittedSubscriberReceivesAndTheBackendSawWhoAsked() throws Exception {
        String channel = channel();
        String other = "hooked/other/" + UUID.randomUUID();
        try (TestSubscriber subscriber = TestSubscriber.connectAsync(base,
                "/" + channel + "?channel=" + other + "&token=opaque-token",
                Map.of("Cookie", "user=admit", "Origin", "https://app.example.com"), List.of("wsc.v1.json"))
                .get(10, TimeUnit.SECONDS)) {
            withKey().body("welcome").post("/" + other).then().body("recipients", equalTo(1));
            assertTrue(subscriber.next().toString().contains("\"data\":\"welcome\""));
        }
        JsonObject question = BACKEND.questions.poll(5, TimeUnit.SECONDS);
        assertEquals(List.of(channel, other), question.getJsonArray("channels").getList());
        assertEquals("websocket", question.getString("transport"));
        assertEquals("127.0.0.1", question.getString("address"));
        assertEquals("opaque-token", question.getString("token"));
        assertEquals("user=admit", question.getJsonObject("headers").getString("cookie"));
        assertEquals("https://app.example.com", question.getJsonObject("headers").getString("origin"));
    }

    @Test
    void theBackendsRefusalsAndFailuresAreTheSubscribersStatus() {
        assertEquals(401, upgrade("/" + channel(), "anon"));
        assertEquals(403, upgrade("/" + channel(), "deny"));
        assertEquals(503, upgrade("/" + channel(), "broken"));
        long started = System.nanoTime();
        assertEquals(503, upgrade("/" + channel(), "slow"));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis < 2_500, "refused after the 500 ms timeout, not the backend's 3 s: " + tookMillis);
        assertEquals(101, upgrade("/" + channel(), "admit"), "the server serves others after all that");
        assertTrue(count("status_401") >= 1 && count("status_403") >= 1 && count("status_5xx") >= 1
                && count("timed_out") >= 1 && count("admitted") >= 1);
    }

    @Test
    void anEventStreamIsRefusedWithTheBackendsStatusAndAJsonReason() throws Exception {
        try (EventStreamClient refused = EventStreamClient.connect(base, "/" + channel(),
                Map.of("Cookie", "user=deny"))) {
            assertEquals(403, refused.status());
            assertTrue(refused.body().contains("\"status\":\"The backend refused this subscription\""),
                    refused.body());
        }
        String channel = channel();
        try (EventStreamClient admitted = EventStreamClient.connect(base, "/" + channel,
                Map.of("Cookie", "user=admit"))) {
            assertEquals(200, admitted.status());
            withKey().body("streamed").post("/" + channel).then().body("recipients", equalTo(1));
            assertEquals("streamed", admitted.next().data());
        }
        assertEquals("event-stream", BACKEND.questions.poll(5, TimeUnit.SECONDS).getString("transport"));
    }

    @Test
    void pastTheConcurrencyBoundSubscribersAreRefusedWithoutAsking() throws Exception {
        CompletableFuture<TestSubscriber> first = TestSubscriber.connectAsync(base, "/" + channel(),
                Map.of("Cookie", "user=hold"));
        CompletableFuture<TestSubscriber> second = TestSubscriber.connectAsync(base, "/" + channel(),
                Map.of("Cookie", "user=hold"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (BACKEND.heldCount() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2, BACKEND.heldCount());
        int asked = BACKEND.questions.size();
        assertEquals(503, upgrade("/" + channel(), "admit"));
        assertEquals(asked, BACKEND.questions.size(), "the third was not asked about");
        BACKEND.releaseHeld();
        first.get(5, TimeUnit.SECONDS).close();
        second.get(5, TimeUnit.SECONDS).close();
        assertTrue(count("busy") >= 1);
    }

    @Test
    void answersAreReusedForTheSameQuestionButFailuresAreNot() throws Exception {
        String channel = channel();
        assertEquals(101, upgrade("/" + channel, "admit"));
        assertEquals(101, upgrade("/" + channel, "admit"));
        assertEquals(403, upgrade("/" + channel, "deny"));
        assertEquals(403, upgrade("/" + channel, "deny"));
        assertEquals(2, BACKEND.questions.size(), "one question each for admit and deny");
        assertEquals(503, upgrade("/" + channel, "broken"));
        assertEquals(503, upgrade("/" + channel, "broken"));
        assertEquals(4, BACKEND.questions.size(), "a failure is asked again");
        assertNull(BACKEND.questions.stream().filter(q -> !q.getJsonArray("channels").getList().contains(channel))
                .findAny().orElse(null));
    }

    private double count(String outcome) {
        var counter = registry.find("wsc.subscribe.hook").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
