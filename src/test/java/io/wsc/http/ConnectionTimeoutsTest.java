package io.wsc.http;

import static io.wsc.http.ShortTimeoutsProfile.BODY_MILLIS;
import static io.wsc.http.ShortTimeoutsProfile.HEADER_MILLIS;
import static io.wsc.http.ShortTimeoutsProfile.KEEP_ALIVE_MILLIS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.wsc.support.TestKey;

/**
 * Slow and half-open clients are cut off within their timeout, over real sockets: a request's head, however slowly it
 * trickles, a body that stalls, and a connection left idle between requests. The upper bounds are generous (the
 * timeout plus {@link #SLACK_MILLIS}); the lower ones hold because a timer never fires early.
 */
@QuarkusTest
@TestProfile(ShortTimeoutsProfile.class)
class ConnectionTimeoutsTest {

    static final long SLACK_MILLIS = 4000;

    @TestHTTPResource("/")
    URI base;

    @Inject
    MeterRegistry registry;

    @Test
    void aHalfSentRequestGets408AfterTheHeaderTimeout() throws Exception {
        double before = timeouts("header");
        try (SlowClient client = SlowClient.connect(base)) {
            client.send("POST /x HTTP/1.1\r\nHost: x\r\n");
            SlowClient.Ending ending = client.awaitEnd(HEADER_MILLIS + SLACK_MILLIS);
            assertTrue(ending.closed(), "closed: " + ending);
            assertTrue(ending.answered(408), ending.received());
            assertTrue(ending.received().endsWith("{\"status\":\"The request did not arrive in time\"}"),
                    ending.received());
            assertTrue(ending.afterMillis() >= HEADER_MILLIS - 50, ending.toString());
        }
        assertEquals(before + 1, timeouts("header"));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheHeaderTimeout() throws Exception {
        try (SlowClient client = SlowClient.connect(base)) {
            SlowClient.Ending ending = client.awaitEnd(HEADER_MILLIS + SLACK_MILLIS);
            assertTrue(ending.closed(), ending.toString());
            assertTrue(ending.afterMillis() >= HEADER_MILLIS - 50, ending.toString());
        }
    }

    @Test
    void headersTrickledAByteAtATimeCountFromTheFirstByte() throws Exception {
        try (SlowClient client = SlowClient.connect(base)) {
            String request = "GET /trickle HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n";
            long started = System.nanoTime();
            int sent = 0;
            // one byte every 100 ms: far inside any idle timeout, and 20 s for the whole head
            while (sent < request.length() && client.send(request.substring(sent, sent + 1))) {
                sent++;
                Thread.sleep(100);
                if ((System.nanoTime() - started) / 1_000_000 > HEADER_MILLIS + SLACK_MILLIS) {
                    break;
                }
            }
            SlowClient.Ending ending = client.awaitEnd(SLACK_MILLIS);
            assertTrue(ending.closed(), ending.toString());
            assertTrue(ending.answered(408), ending.received());
            assertTrue(sent < request.length(), "the head was cut off before it was complete");
        }
    }

    @Test
    void aStalledBodyGets408AfterTheBodyTimeout() throws Exception {
        double before = timeouts("body");
        try (SlowClient client = SlowClient.connect(base)) {
            client.send("POST /stalled/body HTTP/1.1\r\nHost: x\r\naccess-key: " + TestKey.KEY
                    + "\r\nContent-Type: text/plain\r\nContent-Length: 100\r\n\r\nonly ten b");
            SlowClient.Ending ending = client.awaitEnd(BODY_MILLIS + SLACK_MILLIS);
            assertTrue(ending.closed(), ending.toString());
            assertTrue(ending.answered(408), ending.received());
            assertTrue(ending.afterMillis() >= BODY_MILLIS - 50, ending.toString());
        }
        assertEquals(before + 1, timeouts("body"));
    }

    /** The body timeout is the longest pause, not the longest body: a slow upload that keeps going is published. */
    @Test
    void aBodyThatKeepsComingIsServedPastEveryTimeout() throws Exception {
        try (SlowClient client = SlowClient.connect(base)) {
            int parts = 10;
            client.send("POST /slow/body HTTP/1.1\r\nHost: x\r\naccess-key: " + TestKey.KEY
                    + "\r\nContent-Type: text/plain\r\nContent-Length: " + parts + "\r\n\r\n");
            for (int i = 0; i < parts; i++) {
                Thread.sleep(BODY_MILLIS / 3); // 3.3 s in all: past the header, body and keep-alive timeouts
                assertTrue(client.send("x"), "still open after " + i + " parts");
            }
            String response = client.readResponse(SLACK_MILLIS);
            assertTrue(response.startsWith("HTTP/1.1 201 "), response);
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedWithoutAnAnswer() throws Exception {
        double before = timeouts("keep_alive");
        try (SlowClient client = SlowClient.connect(base)) {
            String stats = "GET /idle/keep-alive HTTP/1.1\r\nHost: x\r\naccess-key: " + TestKey.KEY + "\r\n\r\n";
            client.send(stats);
            assertTrue(client.readResponse(SLACK_MILLIS).startsWith("HTTP/1.1 200 "));
            // idle for longer than the header timeout, shorter than the keep-alive one: the connection is reused
            Thread.sleep(HEADER_MILLIS + 300);
            client.send(stats);
            assertTrue(client.readResponse(SLACK_MILLIS).startsWith("HTTP/1.1 200 "));
            long idleFrom = System.nanoTime();
            SlowClient.Ending ending = client.awaitEnd(KEEP_ALIVE_MILLIS + SLACK_MILLIS);
            long idleMillis = (System.nanoTime() - idleFrom) / 1_000_000;
            assertTrue(ending.closed(), ending.toString());
            assertEquals("", ending.received(), "an idle connection is closed without a response");
            assertTrue(idleMillis >= KEEP_ALIVE_MILLIS - 50, idleMillis + " ms");
        }
        // at least this one: an idle connection an earlier test left open (a client's pool) may time out meanwhile
        assertTrue(timeouts("keep_alive") >= before + 1, "counted under keep_alive");
    }

    private double timeouts(String timeout) {
        var counter = registry.find("wsc.http.timeouts").tag("timeout", timeout).counter();
        return counter == null ? 0 : counter.count();
    }
}
