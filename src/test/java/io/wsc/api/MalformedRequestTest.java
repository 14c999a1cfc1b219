package io.wsc.api;

import static io.wsc.support.TestKey.KEY;
import static io.wsc.support.TestKey.withKey;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Generated odd and hostile requests, written byte for byte on raw sockets: every well-formed one gets a 2xx or 4xx
 * answer, errors from wsc carry a JSON status, and the server keeps serving. Requests HTTP/1.1 cannot parse at all are
 * answered by Vert.x (400, or 501 for an unknown protocol version, as RFC 9110 asks) or closed.
 */
@QuarkusTest
class MalformedRequestTest {

    @TestHTTPResource("/")
    URI base;

    static final String[] PATHS = { "/", "//", "/a/../b", "/%00", "/%2e%2e/%2e%2e/etc", "/a%ZZ", "/a%", "/%C3%28",
            "/" + "a".repeat(256), "/" + "a/".repeat(1500), "/q/x", "/q", "/é", "/%F0%9F%98%80", "/a?x=1&y",
            "/a;b=c", "/%20/", "/a%0d%0aSet-Cookie:x", "*" };
    static final String[] METHODS = { "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO" };
    static final String[] KEY_HEADERS = { "", "access-key: " + KEY + "\r\n", "access-key: wrong\r\n",
            "access-key: " + KEY + "\r\naccess-key: " + KEY + "\r\n" };
    static final byte[][] BODIES = { "hello".getBytes(StandardCharsets.UTF_8), { (byte) 0xC3, 0x28 }, {} };

    @Test
    void noRequestGetsA5xx() throws IOException {
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (String path : PATHS) {
            for (String method : METHODS) {
                for (String key : KEY_HEADERS) {
                    byte[] body = BODIES[sent % BODIES.length];
                    String head = method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n" + key
                            + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
                    check(head, body, method.equals("HEAD"), failures);
                    sent++;
                }
            }
        }
        for (String head : malformedHeads()) {
            String response = exchange(head, new byte[0]);
            if (response.matches("(?s)HTTP/\\S+ 5(?!01|05)\\d\\d.*")) {
                failures.add(response.substring(0, 12) + " for " + shown(head));
            }
            sent++;
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + sent + " requests failed:\n" + String.join("\n", failures));
        // and the server still serves everybody else
        withKey().body("ok").post("/after/fuzz")
                .then().statusCode(201);
    }

    private static List<String> malformedHeads() {
        return List.of(
                "POST /a HTTP/1.1\r\nHost: x\r\naccess-key: " + KEY + "\r\nContent-Length: abc\r\n\r\n",
                "POST /a HTTP/1.1\r\nHost: x\r\naccess-key: " + KEY + "\r\nContent-Length: -1\r\n\r\n",
                "POST /a HTTP/1.1\r\nHost: x\r\naccess-key: " + KEY + "\r\nContent-Length: 99999999999999999999\r\n\r\n",
                "POST /a HTTP/1.1\r\nHost: x\r\nX-Big: " + "h".repeat(30_000) + "\r\n\r\n",
                "GET /a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
                "GET /a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 7\r\n\r\n",
                "POST /a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                "GET /a%ZZ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                "GET /a HTTP/9.9\r\nHost: x\r\n\r\n",
                "GARBAGE\r\n\r\n",
                "GET /a\r\n\r\n",
                "\r\n\r\n");
    }

    /** A well-formed request: an HTTP/1.1 answer below 500, with a JSON body when it is one of wsc's errors. */
    private void check(String head, byte[] body, boolean bodiless, List<String> failures) throws IOException {
        String response = exchange(head, body);
        if (!response.startsWith("HTTP/1.1 ")) {
            failures.add("no HTTP/1.1 answer to " + shown(head) + " -> " + response);
            return;
        }
        int status = Integer.parseInt(response.substring(9, 12));
        boolean ours = status == 401 || status == 405 || (status == 400 && response.contains("Channel"));
        if (status >= 500 || (ours && !bodiless && !response.contains("\"status\":"))) {
            failures.add(status + " for " + shown(head));
        }
    }

    private static String shown(String head) {
        return (head.length() > 120 ? head.substring(0, 120) + "..." : head).replace("\r\n", "\\r\\n");
    }

    private String exchange(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0 && answer.size() < 65536;) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // keep what arrived: some answers leave the connection open
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
