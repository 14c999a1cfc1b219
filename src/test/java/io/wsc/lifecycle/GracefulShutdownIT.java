package io.wsc.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.wsc.support.PackagedServer;
import io.wsc.support.TestSubscriber;

/** SIGTERM on the packaged jar: readiness goes DOWN, subscribers get 1001, the process exits within seconds. */
class GracefulShutdownIT {

    @Test
    void sigtermDrainsSubscribersAndExits() throws Exception {
        try (PackagedServer server = PackagedServer.startReady(Map.of("WSC_ACCESS_KEY", "A0B1C2D3",
                "WSC_SHUTDOWN_DELAY", "2s"))) {
            TestSubscriber a = TestSubscriber.connect(server.base(), "/chat/room/1");
            TestSubscriber b = TestSubscriber.connect(server.base(), "/other");
            Instant sigterm = Instant.now();
            server.terminate();

            boolean sawReadinessDown = false;
            while (!sawReadinessDown && Duration.between(sigterm, Instant.now()).toMillis() < 2000) {
                sawReadinessDown = server.readinessStatus() == 503;
            }
            assertTrue(sawReadinessDown, "readiness must report DOWN while the server drains");
            assertEquals(1001, a.awaitClose());
            assertEquals(1001, b.awaitClose());
            assertTrue(server.process().waitFor(10, TimeUnit.SECONDS), "the process must exit within a few seconds");
            assertTrue(server.output().contains("closing 2 subscribers with 1001"), server.output());
        }
    }
}
