package io.wsc.hardening;

import static io.wsc.support.TestKey.KEY;

import java.util.ArrayList;
import java.util.List;

/**
 * Requests whose headers or framing are hostile: huge or countless headers (Vert.x's 20 KiB limit: 431), broken
 * header syntax, conflicting or malformed lengths, bad chunking, and request lines HTTP/1.1 cannot parse.
 */
final class HostileHeaders {

    /** {@code quarkus.http.limits.max-header-size}. */
    static final int MAX_HEADER_SIZE = 20 * 1024;
    private static final String PUBLISH = "POST /hardening/headers HTTP/1.1\r\nHost: localhost\r\naccess-key: " + KEY
            + "\r\n";
    private static final String STATS = "GET /hardening/headers HTTP/1.1\r\nHost: localhost\r\naccess-key: " + KEY
            + "\r\n";

    private HostileHeaders() {
    }

    static List<HttpCase> cases() {
        List<HttpCase> cases = new ArrayList<>();
        // One header of growing size, and many small headers: well below the limit they pass, well above it 431.
        for (int size : new int[] { 100, 4_000, 16_000, 19_000, 21_000, 40_000, 100_000 }) {
            cases.add(publish("X-Big of " + size, "X-Big: " + "h".repeat(size) + "\r\n", status(size)));
            cases.add(publish("name of " + size, "X-" + "n".repeat(size) + ": v\r\n", status(size)));
        }
        for (int count : new int[] { 10, 500, 1_200, 2_500, 5_000 }) {
            StringBuilder headers = new StringBuilder();
            for (int i = 0; i < count; i++) {
                headers.append(String.format("X-H%05d: v\r\n", i));
            }
            cases.add(publish(count + " headers", headers.toString(), status(headers.length())));
        }
        // Header syntax RFC 9112 forbids is refused by the parser.
        cases.add(raw("no colon", STATS + "BadHeader\r\nConnection: close\r\n\r\n", 400));
        cases.add(raw("space in name", STATS + "Bad Header: x\r\nConnection: close\r\n\r\n", 400));
        cases.add(raw("NUL in value", STATS + "X: a\u0000b\r\nConnection: close\r\n\r\n", 400));
        cases.add(raw("bare LF line ends", STATS.replace("\r\n", "\n") + "Connection: close\n\n", 400));
        cases.add(raw("no Host", "GET /hardening/headers HTTP/1.1\r\naccess-key: " + KEY
                + "\r\nConnection: close\r\n\r\n", 400));
        cases.add(raw("space in path", "GET /a b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 400));
        cases.add(raw("raw control byte in path", "GET /a\u0001b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                400));
        // Lengths and chunking: conflicting or malformed framing is refused or the connection dropped.
        cases.add(raw("two lengths", PUBLISH + "Content-Length: 3\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd",
                400));
        cases.add(raw("length and chunked", PUBLISH + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400));
        for (String length : new String[] { "abc", "-1", "99999999999999999999", "1 2", "0x10" }) {
            cases.add(raw("Content-Length: " + length, PUBLISH + "Content-Length: " + length
                    + "\r\nConnection: close\r\n\r\n", 400));
        }
        cases.add(raw("valid chunks", PUBLISH + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n", 201));
        cases.add(raw("bad chunk size", PUBLISH + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "zz\r\nhello\r\n0\r\n\r\n", HttpCase.NO_ANSWER));
        cases.add(raw("chunks over the limit", PUBLISH + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "100001\r\n" + "c".repeat(0x100001) + "\r\n0\r\n\r\n", 413));
        // Request lines HTTP/1.1 cannot parse.
        cases.add(raw("HTTP/1.0", "GET /hardening/headers HTTP/1.0\r\naccess-key: " + KEY + "\r\n\r\n", 200));
        cases.add(raw("garbage line", "GARBAGE\r\n\r\n", 400));
        cases.add(raw("no version", "GET /a\r\n\r\n", 400));
        cases.add(raw("empty lines", "\r\n\r\n", HttpCase.WAITS));
        return cases;
    }

    private static int status(int headerBytes) {
        return headerBytes < MAX_HEADER_SIZE - 512 ? 201 : 431;
    }

    private static HttpCase publish(String name, String headers, int status) {
        String head = PUBLISH + headers + "Content-Length: 1\r\nConnection: close\r\n\r\n";
        return HttpCase.of(name, head, new byte[] { 'x' }, status, status == 201 ? "\"status\":" : null);
    }

    private static HttpCase raw(String name, String request, int status) {
        return HttpCase.of(name, request, new byte[0], status, null);
    }
}
