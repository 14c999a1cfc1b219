package io.wsc.load;

import java.util.Arrays;

/**
 * A load message: its sequence number on its channel and the publisher's {@link System#nanoTime()} when it was sent
 * (publisher and subscribers share one JVM, so receive time minus send time is the publish-to-receive latency),
 * padded to the requested size: {@code "<seq>:<sentNanos>:xxxx..."}.
 */
public record StampedMessage(long seq, long sentNanos) {

    public String encode(int size) {
        String stamp = seq + ":" + sentNanos + ":";
        if (stamp.length() >= size) {
            return stamp;
        }
        char[] padding = new char[size - stamp.length()];
        Arrays.fill(padding, 'x');
        return stamp + new String(padding);
    }

    /** The stamp of a received text, or null when it is not a load message. */
    public static StampedMessage decode(String text) {
        int first = text.indexOf(':');
        int second = first < 0 ? -1 : text.indexOf(':', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            return new StampedMessage(Long.parseLong(text, 0, first, 10), Long.parseLong(text, first + 1, second, 10));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
