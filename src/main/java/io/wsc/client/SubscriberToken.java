package io.wsc.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints the token a browser needs to subscribe when the server sets {@code wsc.subscribe.jwt-secret}: an HS256 JWT
 * whose {@code channels} claim lists what it may subscribe to (exact names, or prefixes ending in {@code *}). Hand it
 * to the page, which connects to {@code ws://host/channel?token=...}.
 *
 * <pre>{@code
 * String token = SubscriberToken.mint(secret, Duration.ofMinutes(10), "chat/room/1");
 * // named, for presence: listed under "alice" by wsc.presence(channel), joins and leaves seen by watchers
 * String alice = SubscriberToken.mintFor(secret, Duration.ofMinutes(10), "alice", "{\"name\":\"Alice\"}", "chat/room/1");
 * }</pre>
 * A token minted by {@link #mint} names no client ({@code sub}): its connections are not listed in presence.
 */
public final class SubscriberToken {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private SubscriberToken() {
    }

    /** A token valid from now for {@code lifetime}, for the given channels. */
    public static String mint(String secret, Duration lifetime, String... channels) {
        Instant now = Instant.now();
        return mint(secret, now, now.plus(lifetime), List.of(channels));
    }

    /** A token issued at {@code issuedAt} that expires at {@code expiresAt}, for the given channels. */
    public static String mint(String secret, Instant issuedAt, Instant expiresAt, List<String> channels) {
        return mint(secret, issuedAt, expiresAt, channels, null, null);
    }

    /**
     * A token valid from now for {@code lifetime}, for the given channels, that names its client for presence:
     * {@code sub} (its connections count as one client), and {@code info} (a JSON object's text, or null), which
     * presence lists and join events carry.
     */
    public static String mintFor(String secret, Duration lifetime, String sub, String info, String... channels) {
        Instant now = Instant.now();
        return mint(secret, now, now.plus(lifetime), List.of(channels), sub, info);
    }

    /**
     * A token issued at {@code issuedAt} that expires at {@code expiresAt}, for the given channels; with {@code sub}
     * (and {@code info}, a JSON object's text) unless null.
     *
     * @throws IllegalArgumentException for a secret shorter than 32 bytes, or an info that is not a JSON object
     */
    public static String mint(String secret, Instant issuedAt, Instant expiresAt, List<String> channels, String sub,
            String info) {
        if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("The secret must be at least 32 bytes, as the server requires");
        }
        if (info != null) {
            JsonReader.readObject(info); // throws for anything but a JSON object
        }
        StringBuilder claims = new StringBuilder("{");
        if (sub != null) {
            claims.append("\"sub\":").append(jsonString(sub)).append(',');
            if (info != null) {
                claims.append("\"info\":").append(info.strip()).append(',');
            }
        }
        claims.append("\"iat\":").append(issuedAt.getEpochSecond())
                .append(",\"exp\":").append(expiresAt.getEpochSecond()).append(",\"channels\":[");
        for (int i = 0; i < channels.size(); i++) {
            claims.append(i == 0 ? "" : ",").append(jsonString(channels.get(i)));
        }
        claims.append("]}");
        String signed = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + encode(claims.toString());
        return signed + "." + BASE64URL.encodeToString(hmacSha256(secret, signed));
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmacSha256(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Every Java runtime has HmacSHA256", e);
        }
    }

    private static String jsonString(String value) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }
}
