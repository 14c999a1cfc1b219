package io.wsc.broker;

import java.util.Arrays;

import io.wsc.channel.Message;

/**
 * A message on Redis: one byte for its kind ({@code t} text, {@code b} binary), then the body unchanged. The pub/sub
 * copy has its sequence number and id in front ({@code #<seq>:<id> }, written by the publish script, which picks both;
 * id 0 with history off), so every node's live fan-out knows them; kept copies (in the stream) are the plain form.
 */
final class RedisPayload {

    private static final byte ID_MARK = '#';

    private RedisPayload() {
    }

    /**
     * A message that came through pub/sub, with its sequence number (0: unknown, from a node of an earlier version) and
     * its id in its channel (0: published with history off).
     */
    record Received(Message message, long seq, long id) {
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

    /** A pub/sub payload: {@code #<seq>:<id> }, {@code #<id> } (earlier versions) or nothing in front. */
    static Received decodeReceived(String channelId, byte[] payload) {
        if (payload.length == 0 || payload[0] != ID_MARK) {
            return new Received(decode(channelId, payload, 0), 0, 0);
        }
        long first = 0;
        int at = 1;
        while (at < payload.length && payload[at] != ' ' && payload[at] != ':') {
            first = first * 10 + (payload[at++] - '0');
        }
        if (at == payload.length || payload[at] == ' ') {
            return new Received(decode(channelId, payload, at + 1), 0, first);
        }
        long id = 0;
        at++;
        while (at < payload.length && payload[at] != ' ') {
            id = id * 10 + (payload[at++] - '0');
        }
        return new Received(decode(channelId, payload, at + 1), first, id);
    }

    private static Message decode(String channelId, byte[] payload, int from) {
        if (from >= payload.length) {
            return new Message(channelId, new byte[0], false);
        }
        return new Message(channelId, Arrays.copyOfRange(payload, from + 1, payload.length), payload[from] == 'b');
    }
}
