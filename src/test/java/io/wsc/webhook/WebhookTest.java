package io.wsc.webhook;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.wsc.client.SubscriberToken;
import io.wsc.support.TestSubscriber;
import io.wsc.support.WebhookReceiver;

/**
 * Webhooks with the memory broker, against a real HTTP receiver started by the test and real WebSocket subscribers:
 * signed bodies, one occupied per channel, vacated only after the delay, nothing for a quick reconnect, members by
 * {@code sub}, retries while the receiver is down, and a bounded queue that drops and counts.
 */
@QuarkusTest
@TestProfile(WebhookTest.WebhookProfile.class)
class WebhookTest {

    static final WebhookReceiver RECEIVER = new WebhookReceiver();
    static final String SECRET = "the-webhook-secret";
    static final String TOKENS = "a-webhook-test-token-secret-of-32-bytes";
    static final long DELAY_MS = 600;
    static final int MAX_QUEUED = 8;

    /** A short delay and small queue the tests can reach; quick retries; tokens, for members. */
    public static class WebhookProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("wsc.webhook.url", RECEIVER.url().toString(), "wsc.webhook.secret", SECRET,
                    "wsc.webhook.vacated-delay", DELAY_MS + "ms", "wsc.webhook.max-queued", Integer.toString(MAX_QUEUED),
                    "wsc.webhook.max-batch", "4", "wsc.webhook.retry-backoff", "100ms",
                    "wsc.webhook.max-attempts", "30", "wsc.webhook.timeout", "10s",
                    "wsc.subscribe.jwt-secret", TOKENS);
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry registry;

    private static String unique() {
        return "hooked/" + UUID.randomUUID();
    }

    private TestSubscriber subscribe(String channel) {
        return TestSubscriber.connect(base, "/" + channel + "?token="
                + SubscriberToken.mint(TOKENS, Duration.ofMinutes(5), channel));
    }

    private TestSubscriber subscribeAs(String sub, String channel) {
        return TestSubscriber.connect(base, "/" + channel + "?token="
                + SubscriberToken.mintFor(TOKENS, Duration.ofMinutes(5), sub, null, channel));
    }

    private static void awaitEvents(String channel, String... names) {
        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.eventsOf(channel), equalTo(List.of(names)));
    }

    /** Waits longer than the delay, on the server's own terms: another channel's vacated came. */
    private void outwaitTheDelay() {
        String other = unique();
        subscribe(other).close();
        awaitEvents(other, "channel_occupied", "channel_vacated");
    }

    private double events(String event, String outcome) {
        Counter counter = registry.find("wsc.webhook.events").tags("event", event, "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private double retries() {
        return registry.find("wsc.webhook.retries").counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void twoSubscribersOccupyOnceAndTheBodyIsSigned() throws Exception {
        String channel = unique();
        long before = System.currentTimeMillis();
        try (TestSubscriber first = subscribe(channel); TestSubscriber second = subscribe(channel)) {
            awaitEvents(channel, "channel_occupied");
        }
        awaitEvents(channel, "channel_occupied", "channel_vacated");

        WebhookReceiver.Delivery delivery = RECEIVER.deliveryOf(channel);
        assertTrue(delivery.signedWith(SECRET));
        assertFalse(delivery.signedWith(SECRET + "-not"));
        JsonObject body = delivery.body();
        assertEquals(body.getString("id"), delivery.headers().get("X-Wsc-Webhook-Id"));
        assertEquals(body.getLong("time_ms").toString(), delivery.headers().get("X-Wsc-Webhook-Timestamp"));
        assertEquals("application/json", delivery.headers().get("Content-Type"));
        JsonObject occupied = body.getJsonArray("events").getJsonObject(0);
        assertEquals(channel, occupied.getString("channel"));
        assertFalse(occupied.containsKey("sub"));
        assertTrue(occupied.getLong("time_ms") >= before && occupied.getLong("time_ms") <= body.getLong("time_ms"));
        assertTrue(events("channel_occupied", "sent") >= 1);
    }

    @Test
    void vacatedComesOnlyAfterTheDelay() {
        String channel = unique();
        TestSubscriber subscriber = subscribe(channel);
        awaitEvents(channel, "channel_occupied");
        long closed = System.currentTimeMillis();
        subscriber.close();
        awaitEvents(channel, "channel_occupied", "channel_vacated");
        JsonObject vacated = RECEIVER.events.stream().filter(event -> channel.equals(event.getString("channel"))
                && "channel_vacated".equals(event.getString("name"))).findFirst().orElseThrow();
        assertTrue(vacated.getLong("time_ms") - closed >= DELAY_MS, "vacated " + (vacated.getLong("time_ms") - closed)
                + " ms after the close");
    }

    @Test
    void aQuickReconnectSendsNothing() {
        String channel = unique();
        subscribe(channel).close();
        try (TestSubscriber back = subscribe(channel)) { // well within the delay
            outwaitTheDelay();
            assertEquals(List.of("channel_occupied"), RECEIVER.eventsOf(channel));
        }
        awaitEvents(channel, "channel_occupied", "channel_vacated");
    }

    @Test
    void membersAreAddedOnceAndRemovedWithTheirLastTabAfterTheDelay() {
        String channel = unique();
        TestSubscriber aliceTab = subscribeAs("alice", channel);
        TestSubscriber aliceOtherTab = subscribeAs("alice", channel);
        TestSubscriber bob = subscribeAs("bob", channel);
        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.sortedEventsOf(channel),
                equalTo(List.of("channel_occupied", "member_added:alice", "member_added:bob")));

        aliceTab.close(); // her other tab stays
        aliceOtherTab.close();
        TestSubscriber aliceBack = subscribeAs("alice", channel); // a reload, within the delay
        bob.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.eventsOf(channel).contains("member_removed:bob"));
        outwaitTheDelay();
        assertEquals(List.of("channel_occupied", "member_added:alice", "member_added:bob", "member_removed:bob"),
                RECEIVER.sortedEventsOf(channel));

        aliceBack.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.sortedEventsOf(channel),
                equalTo(List.of("channel_occupied", "channel_vacated", "member_added:alice", "member_added:bob",
                        "member_removed:alice", "member_removed:bob")));
    }

    @Test
    void eventsWaitForAReceiverThatIsDownAndArriveOnceItIsBack() throws Exception {
        String channel = unique();
        double retriedBefore = retries();
        RECEIVER.stop();
        try (TestSubscriber subscriber = subscribe(channel)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> retries() >= retriedBefore + 2);
            assertEquals(List.of(), RECEIVER.eventsOf(channel));
            RECEIVER.start();
            awaitEvents(channel, "channel_occupied");
        }
        awaitEvents(channel, "channel_occupied", "channel_vacated");
    }

    @Test
    void aFullQueueDropsAndCountsEvents() {
        String first = unique();
        double droppedBefore = events("channel_occupied", "dropped");
        RECEIVER.hold();
        List<TestSubscriber> subscribers = new ArrayList<>();
        List<String> channels = new ArrayList<>();
        try {
            subscribers.add(subscribe(first));
            await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.heldCount() == 1); // on its way, unanswered
            for (int i = 0; i < MAX_QUEUED + 4; i++) {
                String channel = unique();
                channels.add(channel);
                subscribers.add(subscribe(channel));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> events("channel_occupied", "dropped"),
                    equalTo(droppedBefore + 4));
            RECEIVER.release();
            await().atMost(Duration.ofSeconds(20)).until(() -> channels.stream()
                    .filter(channel -> !RECEIVER.eventsOf(channel).isEmpty()).count() == MAX_QUEUED);
            assertEquals(List.of("channel_occupied"), RECEIVER.eventsOf(first));
        } finally {
            RECEIVER.release();
            subscribers.forEach(TestSubscriber::close);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.eventsOf(first),
                equalTo(List.of("channel_occupied", "channel_vacated")));
    }
}
