package io.wsc.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * How a subscriber takes its messages. Each form of a message is encoded at most once per publish and shared by every
 * subscriber that takes it. The multiplexed forms name the message's channel, for a connection that subscribed to
 * several: the channel is the publication's, so the frame is still one per channel and publish.
 */
public enum FrameForm {

    /** A WebSocket frame with the raw body, as in the original wsc. */
    RAW,
    /** A WebSocket text frame {@code {"id":"7","data":"..."}} ({@code wsc.v1.json}). */
    JSON,
    /** A Server-Sent Events event, written into the HTTP response's body. */
    SSE,
    /** A WebSocket text frame {@code {"channel":"chat/room/1","id":"7","data":"..."}}: a multiplexed connection. */
    MULTIPLEXED_JSON,
    /** An event whose {@code data} is the {@link #MULTIPLEXED_JSON} frame's JSON; signals too (no event type, no id). */
    MULTIPLEXED_SSE;

    /** How many forms there are, without the copy {@code values()} makes on every call (it sizes per-publish arrays). */
    static final int COUNT = values().length;

    /** This form naming its channel: what a connection with several channels takes. */
    public FrameForm multiplexed() {
        return switch (this) {
            case JSON, MULTIPLEXED_JSON -> MULTIPLEXED_JSON;
            case SSE, MULTIPLEXED_SSE -> MULTIPLEXED_SSE;
            case RAW -> throw new IllegalStateException("Raw frames cannot name their channel");
        };
    }

    /** The message of {@code channelId} in this form; {@code id} is 0 when history is off. */
    ByteBuf encode(String channelId, long id, byte[] body, boolean binary) {
        return switch (this) {
            case RAW -> Frames.encode(ByteBufAllocator.DEFAULT, body, binary);
            case JSON -> text(JsonFrames.message(null, id, body, binary));
            case SSE -> SseEvents.message(id, body, binary);
            case MULTIPLEXED_JSON -> text(JsonFrames.message(channelId, id, body, binary));
            case MULTIPLEXED_SSE -> SseEvents.data(JsonFrames.message(channelId, id, body, binary));
        };
    }

    /** The signal that ends a resuming subscriber's catch-up: {@code count} messages came from history. */
    ByteBuf caughtUp(String channelId, int count) {
        return switch (this) {
            case RAW -> throw new IllegalStateException("A raw subscriber cannot resume");
            case JSON -> text(JsonFrames.caughtUp(null, count));
            case SSE -> SseEvents.caughtUp(count);
            case MULTIPLEXED_JSON -> text(JsonFrames.caughtUp(channelId, count));
            case MULTIPLEXED_SSE -> SseEvents.data(JsonFrames.caughtUp(channelId, count));
        };
    }

    /** The signal that the messages after {@code since} up to {@code next} (exclusive) are lost. */
    ByteBuf gap(String channelId, long since, long next) {
        return switch (this) {
            case RAW -> throw new IllegalStateException("A raw subscriber cannot resume");
            case JSON -> text(JsonFrames.gap(null, since, next));
            case SSE -> SseEvents.gap(since, next);
            case MULTIPLEXED_JSON -> text(JsonFrames.gap(channelId, since, next));
            case MULTIPLEXED_SSE -> SseEvents.data(JsonFrames.gap(channelId, since, next));
        };
    }

    /**
     * A presence event (its JSON names its channel and type): a text frame on a WebSocket, {@code data:} on a
     * multiplexed stream, and an event of type {@code presence} on a single-channel stream, whose plain events are
     * messages.
     */
    ByteBuf presence(byte[] json) {
        return switch (this) {
            case RAW -> throw new IllegalStateException("Raw subscribers take no presence events");
            case JSON, MULTIPLEXED_JSON -> text(json);
            case SSE -> SseEvents.event("presence", json);
            case MULTIPLEXED_SSE -> SseEvents.data(json);
        };
    }

    private static ByteBuf text(byte[] json) {
        return Frames.encode(ByteBufAllocator.DEFAULT, json, false);
    }
}
