package io.wsc.http;

import static io.wsc.http.PerAddressProfile.MAX_PER_ADDRESS;
import static io.wsc.support.TestKey.withKey;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.support.TestKey;

/** wsc.max-connections-per-address: one address past it is refused at once; the others are served meanwhile. */
@QuarkusTest
@TestProfile(PerAddressProfile.class)
class ConnectionsPerAddressTest {

    private static final String CROWDED = "127.0.0.2";

    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry registry;

    @Test
    void anAddressPastTheLimitIsRefusedUntilOneOfItsConnectionsCloses() throws Exception {
        double before = refused();
        List<SlowClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PER_ADDRESS; i++) {
                held.add(SlowClient.connectFrom(base, CROWDED));
            }
            try (SlowClient extra = SlowClient.connectFrom(base, CROWDED)) {
                SlowClient.Ending ending = extra.awaitEnd(5000);
                assertTrue(ending.closed(), "refused: " + ending);
                assertEquals("", ending.received());
                assertTrue(ending.afterMillis() < 5000, ending.toString());
            }
            assertEquals(before + 1, refused());
            // the held ones are still served, and so is everyone else
            SlowClient first = held.get(0);
            first.send("GET /per/address HTTP/1.1\r\nHost: x\r\naccess-key: " + TestKey.KEY + "\r\n\r\n");
            assertTrue(first.readResponse(5000).startsWith("HTTP/1.1 200 "));
            withKey().get("/per/address").then().statusCode(200);

            held.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (SlowClient again = SlowClient.connectFrom(base, CROWDED)) {
                    again.send("GET /per/address HTTP/1.1\r\nHost: x\r\naccess-key: " + TestKey.KEY + "\r\n\r\n");
                    return again.readResponse(5000).startsWith("HTTP/1.1 200 ");
                } catch (java.io.IOException refusedStill) {
                    return false;
                }
            });
            assertFalse(held.isEmpty());
        } finally {
            for (SlowClient client : held) {
                client.close();
            }
        }
    }

    private double refused() {
        var counter = registry.find("wsc.connections.refused").tag("reason", "per_address").counter();
        return counter == null ? 0 : counter.count();
    }
}
