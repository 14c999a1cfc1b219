package io.wsc.broker;

import java.nio.charset.StandardCharsets;

import io.vertx.core.json.JsonObject;
import io.wsc.channel.Disconnect;

/**
 * A {@link Disconnect} on the Redis control channel: {@code {"channel":"chat/room/1"}} or {@code {"sub":"alice"}}.
 * JSON, so a node of a later version can add fields that this one ignores.
 */
final class DisconnectPayload {

    private static final String CHANNEL = "channel";
    private static final String SUB = "sub";

    private DisconnectPayload() {
    }

    static byte[] encode(Disconnect request) {
        JsonObject json = request.channelId() != null ? new JsonObject().put(CHANNEL, request.channelId())
                : new JsonObject().put(SUB, request.sub());
        return json.encode().getBytes(StandardCharsets.UTF_8);
    }

    /** The request, or null for a payload that names neither (from a later version, or not ours). */
    static Disconnect decode(byte[] payload) {
        JsonObject json;
        try {
            json = new JsonObject(new String(payload, StandardCharsets.UTF_8));
        } catch (RuntimeException notJson) {
            return null;
        }
        String channelId = json.getValue(CHANNEL) instanceof String name ? name : null;
        String sub = json.getValue(SUB) instanceof String name ? name : null;
        return channelId != null ? Disconnect.channel(channelId) : sub != null ? Disconnect.client(sub) : null;
    }
}
