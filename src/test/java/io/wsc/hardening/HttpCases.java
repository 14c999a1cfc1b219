package io.wsc.hardening;

import static io.wsc.support.TestKey.KEY;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Generates hostile HTTP requests (paths, methods, keys, content types, bodies, headers, framing) together with the
 * answer each must get. The expectation is a model of the server's layers, applied in the order a request meets them:
 * Vert.x's parser and limits (400/404/414/431, empty bodies), then JAX-RS method matching (405), the access-key filter
 * (401), the channel name (404 for {@code /q/}, 400 when invalid), and the publish checks (400, 413).
 */
final class HttpCases {

    /** Vert.x's {@code quarkus.http.limits.max-initial-line-length}: a longer request line is answered 414. */
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_MESSAGE_BYTES = 1024 * 1024;
    private static final Set<String> CHANNEL_METHODS = Set.of("GET", "HEAD", "POST", "DELETE", "OPTIONS");
    static final String[] METHODS = { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO" };

    /**
     * What the path is, as the server sees it: a channel name, one wsc refuses (400), one of Quarkus's (404), or one
     * Vert.x refuses before any route runs ({@code //} and malformed percent-escapes: 400; {@code *}: 404).
     */
    enum PathKind {
        CHANNEL, INVALID, RESERVED, VERTX_BAD_REQUEST, VERTX_NOT_FOUND
    }

    record PathCase(String path, PathKind kind) {
    }

    /** Access-key header variants; only the first is accepted. */
    record KeyCase(String headers, boolean accepted) {
    }

    private HttpCases() {
    }

    static List<HttpCase> all() {
        List<HttpCase> cases = new ArrayList<>();
        cases.addAll(methodsByPathsByKeys());
        cases.addAll(pathSweep());
        cases.addAll(bodiesByContentTypes());
        cases.addAll(HostileHeaders.cases());
        return cases;
    }

    static List<KeyCase> keys() {
        return List.of(new KeyCase("access-key: " + KEY + "\r\n", true),
                new KeyCase("", false),
                new KeyCase("access-key: wrong\r\n", false),
                new KeyCase("access-key: " + KEY.toLowerCase() + "\r\n", false),
                new KeyCase("access-key: " + KEY.substring(1) + "\r\n", false),
                new KeyCase("access-key: " + KEY + "x\r\n", false),
                new KeyCase("access-key: " + KEY + "\r\naccess-key: " + KEY + "\r\n", false));
    }

    /** A few paths of every kind, crossed with every method and every key variant. */
    private static List<HttpCase> methodsByPathsByKeys() {
        List<PathCase> paths = List.of(new PathCase("/hardening/core", PathKind.CHANNEL),
                new PathCase("/%2e%2e", PathKind.CHANNEL), new PathCase("/a%2Fb", PathKind.CHANNEL),
                new PathCase("/a%00b", PathKind.INVALID), new PathCase("/a%ZZ", PathKind.VERTX_BAD_REQUEST),
                new PathCase("/" + "x".repeat(256), PathKind.INVALID), new PathCase("/q/x", PathKind.RESERVED),
                new PathCase("//", PathKind.VERTX_BAD_REQUEST), new PathCase("*", PathKind.VERTX_NOT_FOUND),
                new PathCase("/" + "a/".repeat(3000), PathKind.CHANNEL));
        List<HttpCase> cases = new ArrayList<>();
        for (PathCase path : paths) {
            for (String method : METHODS) {
                for (KeyCase key : keys()) {
                    cases.add(request(method, path, key, null, "x".getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        return cases;
    }

    /** Every generated path, published to with the key, and asked for stats with and without it. */
    private static List<HttpCase> pathSweep() {
        KeyCase key = keys().get(0);
        KeyCase none = keys().get(1);
        List<HttpCase> cases = new ArrayList<>();
        for (PathCase path : HostilePaths.all()) {
            cases.add(request("POST", path, key, null, "x".getBytes(StandardCharsets.UTF_8)));
            cases.add(request("GET", path, key, null, new byte[0]));
            cases.add(request("GET", path, none, null, new byte[0]));
        }
        return cases;
    }

    private static List<HttpCase> bodiesByContentTypes() {
        KeyCase key = keys().get(0);
        PathCase channel = new PathCase("/hardening/bodies", PathKind.CHANNEL);
        List<HttpCase> cases = new ArrayList<>();
        for (String type : HostileBodies.CONTENT_TYPES) {
            for (byte[] body : HostileBodies.small()) {
                cases.add(request("POST", channel, key, type, body));
            }
        }
        for (byte[] body : HostileBodies.large()) {
            for (String type : new String[] { null, "application/octet-stream" }) {
                cases.add(request("POST", channel, key, type, body));
            }
        }
        return cases;
    }

    static HttpCase request(String method, PathCase path, KeyCase key, String contentType, byte[] body) {
        String line = method + " " + path.path() + " HTTP/1.1";
        String head = line + "\r\nHost: localhost\r\n" + key.headers()
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        int status = expectedStatus(line.length(), method, path.kind(), key.accepted(), contentType, body);
        String name = method + " " + path.path() + " key=" + key.headers().trim() + " type=" + contentType
                + " body=" + shown(body);
        return HttpCase.of(name, head, body, status, bodyMarker(status, method, path.kind(), line.length()));
    }

    private static int expectedStatus(int lineLength, String method, PathKind path, boolean keyAccepted,
            String contentType, byte[] body) {
        if (lineLength > MAX_INITIAL_LINE) {
            return 414;
        }
        if (path == PathKind.VERTX_BAD_REQUEST) {
            return 400;
        }
        if (path == PathKind.VERTX_NOT_FOUND) {
            return 404;
        }
        if (!CHANNEL_METHODS.contains(method)) {
            return 405;
        }
        if (!keyAccepted) {
            return 401;
        }
        if (method.equals("OPTIONS")) {
            return 405;
        }
        if (path == PathKind.RESERVED) {
            return 404;
        }
        if (path == PathKind.INVALID) {
            return 400;
        }
        if (!method.equals("POST")) {
            return 200;
        }
        if (body.length > MAX_MESSAGE_BYTES) {
            return 413;
        }
        return HostileBodies.isAcceptedText(contentType, body) ? 201 : 400;
    }

    /** wsc answers with JSON; Vert.x's own refusals (and HEAD answers) have no body to check. */
    private static String bodyMarker(int status, String method, PathKind path, int lineLength) {
        if (method.equals("HEAD") || lineLength > MAX_INITIAL_LINE || path == PathKind.VERTX_BAD_REQUEST
                || path == PathKind.VERTX_NOT_FOUND) {
            return null;
        }
        if (status == 200) {
            return method.equals("DELETE") ? "\"status\":\"disconnected\"" : "\"channel_id\"";
        }
        return "\"status\":";
    }

    static String shown(byte[] body) {
        if (body.length > 24) {
            return body.length + " bytes";
        }
        return HexFormat.of().formatHex(body);
    }
}
