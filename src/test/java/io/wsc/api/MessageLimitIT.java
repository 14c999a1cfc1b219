package io.wsc.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.wsc.support.PackagedServer;

/** WSC_MAX_MESSAGE_BYTES on the packaged jar moves the publish limit, for declared and chunked bodies alike. */
class MessageLimitIT {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theLimitFollowsTheSetting() throws Exception {
        try (PackagedServer server = PackagedServer.startReady(Map.of("WSC_ACCESS_KEY", "A0B1C2D3",
                "WSC_MAX_MESSAGE_BYTES", "10"))) {
            assertEquals(201, post(server, HttpRequest.BodyPublishers.ofByteArray(new byte[10])).statusCode());
            HttpResponse<String> declared = post(server, HttpRequest.BodyPublishers.ofByteArray(new byte[11]));
            assertEquals(413, declared.statusCode());
            assertEquals("{\"status\":\"Message is larger than the limit of 10 bytes\"}", declared.body());
            assertEquals(201, post(server, chunked(new byte[10])).statusCode());
            assertEquals(413, post(server, chunked(new byte[11])).statusCode());
        }
    }

    private static HttpRequest.BodyPublisher chunked(byte[] body) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    }

    private HttpResponse<String> post(PackagedServer server, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.base().resolve("limit")).header("access-key", "A0B1C2D3")
                .header("Content-Type", "application/octet-stream").POST(body).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
