package io.wsc.channel;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * A channel's canonical name, as the original wsc computes it: the decoded path lower-cased, with spaces and slashes
 * stripped at both ends; an empty result is the root channel {@code /}.
 */
public final class ChannelId {

    public static final String ROOT = "/";
    public static final int MAX_LENGTH = 255;

    private ChannelId() {
    }

    /**
     * Canonical id of a raw (still percent-encoded) request path as the HTTP server reads it, one character per byte
     * (ISO-8859-1), or {@link InvalidChannelException}. Bytes that were not percent-encoded are UTF-8 too: curl sends
     * {@code /café} raw, a browser as {@code /caf%C3%A9}, and both name the channel {@code café}.
     */
    public static String fromRawPath(String rawPath) {
        return normalise(percentDecode(rawPath == null ? "" : rawPath));
    }

    /** Canonical id of a decoded channel name, or {@link InvalidChannelException}. */
    public static String normalise(String name) {
        String id = strip(name.toLowerCase(Locale.ROOT));
        if (id.length() > MAX_LENGTH) {
            throw new InvalidChannelException("Channel name is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new InvalidChannelException("Channel name contains a control character");
            }
        }
        return id.isEmpty() ? ROOT : id;
    }

    /** True for paths that belong to Quarkus ({@code /q/...}), never to a channel. */
    public static boolean isReservedPath(String rawPath) {
        return rawPath != null && (rawPath.equals("/q") || rawPath.startsWith("/q/"));
    }

    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isStripped(s.charAt(start))) {
            start++;
        }
        while (end > start && isStripped(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isStripped(char c) {
        return c == ' ' || c == '/';
    }

    /**
     * Strict RFC 3986 percent-decoding as UTF-8 ('+' stays '+'), of a path read one character per byte; malformed
     * escapes or bytes are refused.
     */
    static String percentDecode(String raw) {
        if (raw.chars().allMatch(c -> c != '%' && c < 0x80)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                if (c > 0xFF) {
                    throw new InvalidChannelException("Channel path has a character that is no byte");
                }
                bytes.write(c);
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (lo < 0) {
                throw new InvalidChannelException("Channel path has a malformed percent-escape");
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        return Utf8.decode(bytes.toByteArray())
                .orElseThrow(() -> new InvalidChannelException("Channel path is not valid UTF-8"));
    }
}
