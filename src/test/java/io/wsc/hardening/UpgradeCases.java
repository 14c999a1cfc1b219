package io.wsc.hardening;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.wsc.hardening.HttpCases.PathCase;

/**
 * WebSocket upgrade requests with every combination of good, bad and missing {@code Upgrade}, {@code Connection},
 * {@code Sec-WebSocket-Key} and {@code Sec-WebSocket-Version} headers, and a good handshake on every generated path.
 * <p>
 * The expected status models Vert.x's handshake (Netty's handshakers): a request with no key is not an upgrade at all
 * and reaches the REST resource (401 without an access key), whatever its {@code Upgrade} says (this port does not
 * speak HTTP/2 cleartext, so {@code Upgrade: h2c} is ignored, as RFC 9110 allows); a key with an {@code Upgrade} that
 * names another protocol is refused by wsc (400); a key without {@code Connection: Upgrade} or without a version is a
 * bad upgrade (400); an unsupported version gets 426. Netty still speaks the drafts 7 and 8, whose handshakers do not
 * check the {@code Upgrade} value (so a missing or empty one passes); no handshaker checks the key's format.
 */
final class UpgradeCases {

    static final String GOOD_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String[] UPGRADES = { "websocket", "WebSocket", null, "", "h2c" };
    private static final String[] CONNECTIONS = { "Upgrade", "keep-alive, Upgrade", null, "close" };
    private static final String[] KEYS = { GOOD_KEY, null, "abc" };
    private static final String[] VERSIONS = { "13", null, "8", "7", "14", "abc" };

    private UpgradeCases() {
    }

    static List<HttpCase> all() {
        List<HttpCase> cases = new ArrayList<>();
        for (String upgrade : UPGRADES) {
            for (String connection : CONNECTIONS) {
                for (String key : KEYS) {
                    for (String version : VERSIONS) {
                        cases.add(handshake("/hardening/upgrade", upgrade, connection, key, version,
                                expected(upgrade, connection, key, version)));
                    }
                }
            }
        }
        for (PathCase path : HostilePaths.all()) {
            cases.add(upgrade(path.path(), "", expectedForPath(path)));
        }
        return cases;
    }

    /** A well-formed upgrade to {@code rawPath} with extra header lines (each ending in CRLF), e.g. a token. */
    static HttpCase upgrade(String rawPath, String extraHeaders, int status) {
        return handshake(rawPath, "websocket", "Upgrade", GOOD_KEY, "13", status, extraHeaders);
    }

    private static HttpCase handshake(String path, String upgrade, String connection, String key, String version,
            int status) {
        return handshake(path, upgrade, connection, key, version, status, "");
    }

    private static HttpCase handshake(String path, String upgrade, String connection, String key, String version,
            int status, String extraHeaders) {
        String head = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n" + header("Upgrade", upgrade)
                + header("Connection", connection) + header("Sec-WebSocket-Key", key)
                + header("Sec-WebSocket-Version", version) + extraHeaders + "\r\n";
        String name = "upgrade " + path + " Upgrade=" + upgrade + " Connection=" + connection + " Key=" + key
                + " Version=" + version + (extraHeaders.isEmpty() ? "" : " + " + extraHeaders.trim());
        // wsc's own refusal (401 from the REST side) is JSON; handshake refusals come from Vert.x with no JSON body
        return HttpCase.of(name, head, new byte[0], status, status == 401 ? "\"status\":" : null);
    }

    private static String header(String name, String value) {
        return value == null ? "" : name + ": " + value + "\r\n";
    }

    static int expected(String upgrade, String connection, String key, String version) {
        boolean websocket = upgrade != null && upgrade.equalsIgnoreCase("websocket");
        if (key == null) {
            return 401;
        }
        if (upgrade != null && !upgrade.isEmpty() && !websocket) {
            return 400;
        }
        if (connection == null || !connection.toLowerCase(Locale.ROOT).contains("upgrade")) {
            return 400;
        }
        if (version == null) {
            return 400;
        }
        if (!List.of("13", "8", "7").contains(version)) {
            return 426;
        }
        return version.equals("13") && !websocket ? 400 : 101;
    }

    private static int expectedForPath(PathCase path) {
        if (("GET " + path.path() + " HTTP/1.1").length() > HttpCases.MAX_INITIAL_LINE) {
            return 414;
        }
        return switch (path.kind()) {
            case CHANNEL -> 101;
            case INVALID -> 400;
            case RESERVED -> 404;
            case VERTX_BAD_REQUEST -> 400;
            case VERTX_NOT_FOUND -> 404;
        };
    }

}
