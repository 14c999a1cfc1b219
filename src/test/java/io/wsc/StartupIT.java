package io.wsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.wsc.support.PackagedServer;

/**
 * The packaged jar refuses a configuration it cannot serve with before it listens on anything: one line, exit code 2.
 * In Kubernetes a server that listens first is a pod that answers for a second before it stops.
 */
class StartupIT {

    private static final String NO_KEY = "wsc: No access key: give it as the first argument, with --access-key-file, or"
            + " in the environment variable WSC_ACCESS_KEY (or the property wsc.access-key)";

    @Test
    void refusesToStartWithoutAnAccessKey() throws Exception {
        assertRefused(Map.of(), NO_KEY);
    }

    @Test
    void refusesAnEmptyAccessKey() throws Exception {
        assertRefused(Map.of("WSC_ACCESS_KEY", ""), NO_KEY);
    }

    @Test
    void refusesAPendingAllowanceSmallerThanAMessage() throws Exception {
        assertRefused(Map.of("WSC_ACCESS_KEY", "k", "WSC_MAX_PENDING_BYTES", "1000", "WSC_MAX_MESSAGE_BYTES", "2000"),
                "wsc: wsc.max-pending-bytes (1000) must be at least wsc.max-message-bytes (2000)");
    }

    @Test
    void refusesANegativeHistorySize() throws Exception {
        // With the Redis broker too (which keeps history since it moved to Redis Streams): refused before the broker,
        // or its Redis client (here without an address), is created.
        assertRefused(Map.of("WSC_ACCESS_KEY", "k", "WSC_BROKER", "redis", "WSC_HISTORY_SIZE", "-1"),
                "wsc: wsc.history.size must not be negative (0 turns history off)");
    }

    @Test
    void refusesASubscribeHookThatIsNotAnHttpUrl() throws Exception {
        assertRefused(Map.of("WSC_ACCESS_KEY", "k", "WSC_SUBSCRIBE_AUTHORIZE_URL", "app.internal/authorize"),
                "wsc: wsc.subscribe.authorize-url must be an absolute http:// or https:// URL");
        assertRefused(Map.of("WSC_ACCESS_KEY", "k", "WSC_SUBSCRIBE_AUTHORIZE_URL", "http://app/authorize",
                "WSC_SUBSCRIBE_AUTHORIZE_MAX_CONCURRENT", "0"), "wsc: wsc.subscribe.authorize-timeout must be at least "
                        + "1ms, wsc.subscribe.authorize-max-concurrent and -cache-size at least 1, and "
                        + "wsc.subscribe.authorize-cache not negative");
    }

    @Test
    void refusesAWebhookWithoutASecret() throws Exception {
        assertRefused(Map.of("WSC_ACCESS_KEY", "k", "WSC_WEBHOOK_URL", "http://app/wsc-events"),
                "wsc: wsc.webhook.url is set but wsc.webhook.secret is not: the receiver could not tell wsc's "
                        + "requests from forged ones");
    }

    @Test
    void refusesConnectionsWithoutChannels() throws Exception {
        assertRefused(Map.of("WSC_ACCESS_KEY", "k", "WSC_MAX_CHANNELS_PER_CONNECTION", "0"),
                "wsc: wsc.max-channels-per-connection and wsc.max-channels-per-publish must be at least 1");
    }

    @Test
    void refusesPublishesWithoutChannels() throws Exception {
        assertRefused(Map.of("WSC_ACCESS_KEY", "k", "WSC_MAX_CHANNELS_PER_PUBLISH", "0"),
                "wsc: wsc.max-channels-per-connection and wsc.max-channels-per-publish must be at least 1");
    }

    @Test
    void refusesPresenceBoundsThatLeaveNothing() throws Exception {
        assertRefused(Map.of("WSC_ACCESS_KEY", "k", "WSC_PRESENCE_MAX_EVENTS_PER_SECOND", "0"),
                "wsc: wsc.presence.max and wsc.presence.max-events-per-second must be at least 1, and "
                        + "wsc.presence.max-info-bytes at least 2 (an empty object)");
    }

    /**
     * The test holds both ports itself: a server that tried to listen would fail with "port in use" (exit code 1)
     * instead of the refusal.
     */
    private static void assertRefused(Map<String, String> env, String line) throws Exception {
        try (ServerSocket http = new ServerSocket(0); ServerSocket management = new ServerSocket(0);
                PackagedServer server = PackagedServer.startOn(http.getLocalPort(), management.getLocalPort(), env)) {
            assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "the server must exit");
            String output = server.output();
            assertEquals(2, server.process().exitValue(), output);
            assertEquals(line, output.strip(), "one line, nothing else");
        }
    }
}
