package io.wsc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.wsc.support.PackagedServer;
import io.wsc.support.RawWebSocket;
import io.wsc.support.TestSubscriber;

/** With a 1 s ping interval, a peer that never answers pings is dropped; one that answers stays. */
class SilentSubscriberIT {

    @Test
    void peersThatStopAnsweringPingsAreDropped() throws Exception {
        try (PackagedServer server = PackagedServer.startReady(Map.of("WSC_ACCESS_KEY", "A0B1C2D3",
                "WSC_PING_INTERVAL", "1s"));
                TestSubscriber alive = TestSubscriber.connect(server.base(), "/ping");
                RawWebSocket silent = RawWebSocket.upgrade(server.base(), "/ping", 65536)) {
            assertEquals(101, silent.status());
            assertEquals(2, peers(server));
            Instant deadline = Instant.now().plusSeconds(10);
            while (peers(server) != 1 && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertEquals(1, peers(server), "the silent peer is dropped within a few ping intervals");
            Thread.sleep(Duration.ofSeconds(3).toMillis());
            assertFalse(alive.isClosed(), "a peer that answers pings stays connected");
            assertEquals(1, peers(server));
            assertEquals(true, server.output().contains("Dropped 1 subscribers that stopped answering pings"));
        }
    }

    private static int peers(PackagedServer server) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.base().resolve("ping")).header("access-key", "A0B1C2D3")
                .build();
        String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        return Integer.parseInt(body.replaceAll(".*\"peers\":(\\d+).*", "$1"));
    }
}
