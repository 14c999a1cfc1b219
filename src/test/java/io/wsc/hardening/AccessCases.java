package io.wsc.hardening;

import static io.wsc.hardening.SecuredProfile.ORIGIN;
import static io.wsc.hardening.SecuredProfile.SECRET;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.wsc.client.SubscriberToken;

/**
 * Upgrades to a server that requires subscriber tokens and allows one origin ({@link SecuredProfile}): every channel x
 * token variant x Origin x protocol version, each with the status it must get. Origins are checked before tokens.
 */
final class AccessCases {

    private static final List<String> CHANNELS = List.of("access/a", "access/room/1", "access/deep/x/y/z");
    private static final Map<String, Integer> ORIGINS = new LinkedHashMap<>();

    static {
        ORIGINS.put(null, null); // no Origin: not a browser page, the token decides
        ORIGINS.put(ORIGIN, null);
        ORIGINS.put("https://evil.example.com", 403);
        ORIGINS.put("null", 403);
    }

    private AccessCases() {
    }

    static List<HttpCase> all() {
        List<HttpCase> cases = new ArrayList<>();
        for (String channel : CHANNELS) {
            for (Map.Entry<String, Integer> token : tokens(channel).entrySet()) {
                for (Map.Entry<String, Integer> origin : ORIGINS.entrySet()) {
                    for (String version : List.of("13", "8")) {
                        int status = origin.getValue() != null ? origin.getValue() : token.getValue();
                        cases.add(upgrade(channel, token.getKey(), origin.getKey(), version, status));
                    }
                }
            }
        }
        return cases;
    }

    /** Query strings (a token or none) and the status each must get on its own. */
    private static Map<String, Integer> tokens(String channel) {
        Instant now = Instant.now();
        String valid = SubscriberToken.mint(SECRET, Duration.ofMinutes(5), channel);
        String[] parts = valid.split("\\.");
        Map<String, Integer> tokens = new LinkedHashMap<>();
        tokens.put("", 401);
        tokens.put("?token=", 401);
        tokens.put("?token=abc", 401);
        tokens.put("?token=a.b.c", 401);
        tokens.put("?token=" + SubscriberToken.mint("a-different-secret-that-is-32-bytes+", Duration.ofMinutes(5),
                channel), 401);
        tokens.put("?token=" + SubscriberToken.mint(SECRET, now.minusSeconds(3600), now.minusSeconds(60),
                List.of(channel)), 401);
        tokens.put("?token=" + encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".", 401);
        tokens.put("?token=" + parts[0] + "." + encode("{\"exp\":" + now.plusSeconds(300).getEpochSecond()
                + ",\"iat\":" + now.getEpochSecond() + ",\"channels\":[\"*\"]}") + "." + parts[2], 401); // swapped claims
        tokens.put("?token=" + valid + "x", 401);
        tokens.put("?token=" + SubscriberToken.mint(SECRET, Duration.ofMinutes(5), "access/other"), 403);
        tokens.put("?token=" + SubscriberToken.mint(SECRET, Duration.ofMinutes(5), "elsewhere/*"), 403);
        tokens.put("?token=" + valid, 101);
        tokens.put("?token=" + SubscriberToken.mint(SECRET, Duration.ofMinutes(5), "access/*"), 101);
        tokens.put("?token=" + SubscriberToken.mint(SECRET, Duration.ofMinutes(5), "*"), 101);
        tokens.put("?token=" + SubscriberToken.mint(SECRET, Duration.ofMinutes(5), channel.toUpperCase() + "/"), 101);
        return tokens;
    }

    private static HttpCase upgrade(String channel, String query, String origin, String version, int status) {
        String head = "GET /" + channel + query + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + UpgradeCases.GOOD_KEY + "\r\n"
                + "Sec-WebSocket-Version: " + version + "\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + "\r\n";
        String name = "upgrade /" + channel + " token " + shortened(query) + " Origin=" + origin + " Version=" + version;
        // Refused handshakes come from Vert.x with no JSON body.
        return HttpCase.of(name, head, new byte[0], status, null);
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String shortened(String query) {
        return query.length() > 40 ? query.substring(0, 40) + "..." : query;
    }
}
