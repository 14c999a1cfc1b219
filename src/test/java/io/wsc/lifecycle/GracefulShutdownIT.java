package io.wsc.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.wsc.support.PackagedServer;
import io.wsc.support.RawHttp;
import io.wsc.support.TestSubscriber;

/**
 * SIGTERM on the packaged jar: readiness goes DOWN, subscribers get 1001, and the process exits once the shutdown delay
 * is over, without logging an error (no timeout of its own making).
 */
class GracefulShutdownIT {

    private static final Duration SHUTDOWN_DELAY = Duration.ofSeconds(2);

    @Test
    void sigtermDrainsSubscribersAndExits() throws Exception {
        try (PackagedServer server = PackagedServer.startReady(Map.of("WSC_ACCESS_KEY", "A0B1C2D3",
                "WSC_SHUTDOWN_DELAY", SHUTDOWN_DELAY.toSeconds() + "s"))) {
            TestSubscriber a = TestSubscriber.connect(server.base(), "/chat/room/1");
            TestSubscriber b = TestSubscriber.connect(server.base(), "/other");
            Instant sigterm = Instant.now();
            server.terminate();

            boolean sawReadinessDown = false;
            while (!sawReadinessDown && Duration.between(sigterm, Instant.now()).toMillis() < 2000) {
                sawReadinessDown = server.readinessStatus() == 503;
            }
            assertTrue(sawReadinessDown, "readiness must report DOWN while the server drains");
            // A publisher on a kept-alive connection is told to reconnect (elsewhere, behind a load balancer).
            RawHttp.Response publish = RawHttp.exchange(server.base(), ("POST /chat/room/1 HTTP/1.1\r\nHost: wsc\r\n"
                    + "access-key: A0B1C2D3\r\nContent-Length: 2\r\n\r\nhi").getBytes(StandardCharsets.US_ASCII), 2000);
            assertEquals(201, publish.status(), publish.toString());
            assertEquals("close", publish.header("Connection"), publish.head());
            assertEquals(1001, a.awaitClose());
            assertEquals(1001, b.awaitClose());
            assertTrue(server.process().waitFor(10, TimeUnit.SECONDS), "the process must exit within a few seconds");
            Duration stopping = Duration.between(sigterm, Instant.now());
            assertTrue(stopping.compareTo(SHUTDOWN_DELAY.plusSeconds(1)) <= 0, "exits within the delay plus 1 s, not "
                    + stopping.toMillis() + " ms:\n" + server.output());
            assertTrue(server.output().contains("closing 2 subscribers with 1001"), server.output());
            assertEquals(List.of(), server.warningsAndErrors(), server.output());
        }
    }
}
