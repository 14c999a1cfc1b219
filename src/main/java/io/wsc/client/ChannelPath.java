package io.wsc.client;

import java.nio.charset.StandardCharsets;

import io.wsc.channel.ChannelId;
import io.wsc.channel.InvalidChannelException;

/** A channel name as the server names it (the server's own {@link ChannelId}), and as a URL path. */
final class ChannelPath {

    private static final String HEX = "0123456789ABCDEF";

    private ChannelPath() {
    }

    /** The path of the channel's URL, e.g. {@code /chat/room%201} for "Chat/Room 1". */
    static String of(String channel) {
        String id = normalised(channel);
        return id.equals(ChannelId.ROOT) ? "/" : "/" + encode(id);
    }

    /** The channel as a query parameter's value ({@code ?channel=chat/room%201}), decoded by the server exactly. */
    static String queryValue(String channel) {
        return encode(normalised(channel));
    }

    private static String normalised(String channel) {
        try {
            return ChannelId.normalise(channel);
        } catch (InvalidChannelException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Percent-encodes all but unreserved characters and '/', so the server decodes exactly the id back. */
    private static String encode(String id) {
        StringBuilder path = new StringBuilder(id.length());
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (isUnreserved(c) || c == '/') {
                path.append(c);
            } else {
                path.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return path.toString();
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
