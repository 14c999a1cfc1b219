package io.wsc.broker;

import java.util.Arrays;

import io.wsc.channel.Message;

/**
 * A message on Redis: one byte for its kind ({@code t} text, {@code b} binary), then the body unchanged. With history
 * on, the pub/sub copy has its id in front ({@code #<id> }, written by the publish script, which picks the id), so every
 * node's live fan-out knows it; kept copies (in the stream) are the plain form, their id is the entry's.
 */
final class RedisPayload {

    private static final byte ID_MARK = '#';

    private RedisPayload() {
    }

    /** A message that came through pub/sub, with its id in its channel (0: published with history off). */
    record Received(Message message, long id) {
    }

    static byte[] encode(Message message) {
        byte[] payload = new byte[message.body().length + 1];
        payload[0] = (byte) (message.binary() ? 'b' : 't');
        System.arraycopy(message.body(), 0, payload, 1, message.body().length);
        return payload;
    }

    /** A plain payload (no id in front). */
    static Message decode(String channelId, byte[] payload) {
        return decode(channelId, payload, 0);
    }

    /** A pub/sub payload, with or without an id in front. */
    static Received decodeReceived(String channelId, byte[] payload) {
        if (payload.length == 0 || payload[0] != ID_MARK) {
            return new Received(decode(channelId, payload, 0), 0);
        }
        long id = 0;
        int at = 1;
        while (at < payload.length && payload[at] != ' ') {
            id = id * 10 + (payload[at++] - '0');
        }
        return new Received(decode(channelId, payload, at + 1), id);
    }

    private static Message decode(String channelId, byte[] payload, int from) {
        if (from >= payload.length) {
            return new Message(channelId, new byte[0], false);
        }
        return new Message(channelId, Arrays.copyOfRange(payload, from + 1, payload.length), payload[from] == 'b');
    }
}
