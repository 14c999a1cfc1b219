package io.wsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.wsc.support.PackagedServer;

/** The packaged jar refuses a configuration it cannot serve with, in one line and without a stack trace. */
class StartupIT {

    @Test
    void refusesToStartWithoutAnAccessKey() throws Exception {
        assertRefused(Map.of(), "No access key: give it as the first argument");
    }

    @Test
    void refusesAPendingAllowanceSmallerThanAMessage() throws Exception {
        assertRefused(Map.of("WSC_ACCESS_KEY", "k", "WSC_MAX_PENDING_BYTES", "1000", "WSC_MAX_MESSAGE_BYTES", "2000"),
                "wsc.max-pending-bytes (1000) must be at least wsc.max-message-bytes (2000)");
    }

    @Test
    void refusesANegativeHistorySize() throws Exception {
        // With the Redis broker too (which keeps history since it moved to Redis Streams); some Redis address, or the
        // Redis client bean is inactive and start-up fails before the check runs.
        assertRefused(Map.of("WSC_ACCESS_KEY", "k", "WSC_BROKER", "redis", "WSC_HISTORY_SIZE", "-1",
                "QUARKUS_REDIS_HOSTS", "redis://127.0.0.1:1"),
                "wsc.history.size must not be negative");
    }

    private static void assertRefused(Map<String, String> env, String message) throws Exception {
        try (PackagedServer server = PackagedServer.start(env)) {
            assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "the server must exit");
            String output = server.output();
            assertEquals(2, server.process().exitValue(), output);
            assertTrue(output.contains(message), output);
            assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
        }
    }
}
