package io.wsc.broker;

import java.util.Arrays;

import io.wsc.channel.Message;

/** A message on Redis: one byte for its kind ({@code t} text, {@code b} binary), then the body unchanged. */
final class RedisPayload {

    private RedisPayload() {
    }

    static byte[] encode(Message message) {
        byte[] payload = new byte[message.body().length + 1];
        payload[0] = (byte) (message.binary() ? 'b' : 't');
        System.arraycopy(message.body(), 0, payload, 1, message.body().length);
        return payload;
    }

    static Message decode(String channelId, byte[] payload) {
        boolean binary = payload.length > 0 && payload[0] == 'b';
        return new Message(channelId, payload.length == 0 ? payload : Arrays.copyOfRange(payload, 1, payload.length),
                binary);
    }
}
