package io.wsc.channel;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes a message as one complete WebSocket frame. Server frames are never masked (RFC 6455, section 5.1), so the
 * bytes are the same for every subscriber: the hub encodes once and writes the same buffer to each socket.
 */
public final class Frames {

    private static final int FIN = 0x80;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;

    private Frames() {
    }

    /** A new buffer (reference count 1) holding header and payload; see RFC 6455, section 5.2 for the layout. */
    public static ByteBuf encode(ByteBufAllocator alloc, byte[] payload, boolean binary) {
        int length = payload.length;
        int headerLength = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf frame = alloc.directBuffer(headerLength + length);
        frame.writeByte(FIN | (binary ? OPCODE_BINARY : OPCODE_TEXT));
        if (length < 126) {
            frame.writeByte(length);
        } else if (length <= 0xFFFF) {
            frame.writeByte(126).writeShort(length);
        } else {
            frame.writeByte(127).writeLong(length);
        }
        return frame.writeBytes(payload);
    }
}
