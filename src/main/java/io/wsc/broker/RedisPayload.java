package io.wsc.broker;

import java.util.Arrays;

import io.wsc.channel.Message;

/**
 * A message on Redis: one byte for its kind ({@code t} text, {@code b} binary), then the body unchanged. The pub/sub
 * copy has its sequence number, id (0 with history off) and stamp in front ({@code #<seq>:<id>:<stamp> }, written by
 * the publish script, which picks them), so every node's live fan-out knows them; kept copies (in the stream) are the
 * plain form.
 */
final class RedisPayload {

    private static final byte ID_MARK = '#';

    private RedisPayload() {
    }

    /**
     * A message that came through pub/sub or was read back: its sequence number (0: unknown, from a node of an earlier
     * version), its id in its channel (0: history off) and its stamp, which tells it apart from another message that
     * got the same number after a failover (0: unknown).
     */
    record Received(Message message, long seq, long id, long stamp) {
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

    /** A pub/sub payload: {@code #<seq>:<id>:<stamp> }, {@code #<id> } (earlier versions) or nothing in front. */
    static Received decodeReceived(String channelId, byte[] payload) {
        if (payload.length == 0 || payload[0] != ID_MARK) {
            return new Received(decode(channelId, payload, 0), 0, 0, 0);
        }
        long[] numbers = new long[3];
        int count = 0;
        int at = 1;
        while (count < numbers.length) {
            long number = 0;
            while (at < payload.length && payload[at] != ' ' && payload[at] != ':') {
                number = number * 10 + (payload[at++] - '0');
            }
            numbers[count++] = number;
            if (at >= payload.length || payload[at++] == ' ') {
                break;
            }
        }
        Message message = decode(channelId, payload, at);
        return count == 1 ? new Received(message, 0, numbers[0], 0)
                : new Received(message, numbers[0], numbers[1], numbers[2]);
    }

    private static Message decode(String channelId, byte[] payload, int from) {
        if (from >= payload.length) {
            return new Message(channelId, new byte[0], false);
        }
        return new Message(channelId, Arrays.copyOfRange(payload, from + 1, payload.length), payload[from] == 'b');
    }
}
