package io.wsc.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * How a subscriber takes its messages. Each form of a message is encoded at most once per publish and shared by every
 * subscriber that takes it.
 */
public enum FrameForm {

    /** A WebSocket frame with the raw body, as in the original wsc. */
    RAW,
    /** A WebSocket text frame {@code {"id":"7","data":"..."}} ({@code wsc.v1.json}). */
    JSON,
    /** A Server-Sent Events event, written into the HTTP response's body. */
    SSE;

    /** The message in this form; {@code id} is 0 when history is off. */
    ByteBuf encode(long id, byte[] body, boolean binary) {
        return switch (this) {
            case RAW -> Frames.encode(ByteBufAllocator.DEFAULT, body, binary);
            case JSON -> Frames.encode(ByteBufAllocator.DEFAULT, JsonFrames.message(id, body, binary), false);
            case SSE -> SseEvents.message(id, body, binary);
        };
    }

    /** The signal that ends a resuming subscriber's catch-up: {@code count} messages came from history. */
    ByteBuf caughtUp(int count) {
        return switch (this) {
            case RAW -> throw new IllegalStateException("A raw subscriber cannot resume");
            case JSON -> Frames.encode(ByteBufAllocator.DEFAULT, JsonFrames.caughtUp(count), false);
            case SSE -> SseEvents.caughtUp(count);
        };
    }

    /** The signal that the messages after {@code since} up to {@code next} (exclusive) are lost. */
    ByteBuf gap(long since, long next) {
        return switch (this) {
            case RAW -> throw new IllegalStateException("A raw subscriber cannot resume");
            case JSON -> Frames.encode(ByteBufAllocator.DEFAULT, JsonFrames.gap(since, next), false);
            case SSE -> SseEvents.gap(since, next);
        };
    }
}
