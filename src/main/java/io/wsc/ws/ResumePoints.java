package io.wsc.ws;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.wsc.channel.ChannelId;
import io.wsc.channel.InvalidChannelException;
import io.wsc.channel.MessageId;

/**
 * Where each channel of a connection resumes: {@code since} query parameters, each {@code <channel>:<id>} or a bare
 * {@code <id>} for the path's channel (so a single-channel {@code ?since=42} reads as it always did). The id follows
 * the last colon, since channel names may hold colons and ids never do. A channel the connection does not subscribe
 * to, or one named twice, is refused like an invalid id.
 */
public final class ResumePoints {

    /** The query parameter. */
    public static final String PARAMETER = "since";

    private ResumePoints() {
    }

    /**
     * Channel -> the id to resume after, for the channels that resume (empty when none does).
     *
     * @throws IllegalArgumentException for an invalid id, an unknown channel, or a channel given twice
     */
    public static Map<String, Long> parse(List<String> values, RequestedChannels channels) {
        if (values.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> since = new HashMap<>();
        for (String value : values) {
            int colon = value.lastIndexOf(':');
            String channel = colon < 0 ? channels.first() : channel(value.substring(0, colon));
            long id = MessageId.parse(colon < 0 ? value : value.substring(colon + 1));
            if (!channels.ids().contains(channel)) {
                throw new IllegalArgumentException("since names a channel this connection does not subscribe to");
            }
            if (since.put(channel, id) != null) {
                throw new IllegalArgumentException("since names a channel twice");
            }
        }
        return since;
    }

    private static String channel(String name) {
        try {
            return ChannelId.normalise(name);
        } catch (InvalidChannelException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
