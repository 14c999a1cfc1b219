package io.wsc.hardening;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;

/** Encodes WebSocket frames as a client would (or must not): any opcode, RSV bits, FIN, mask and declared length. */
final class ClientFrames {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private static final Random MASKS = new Random(42);

    private ClientFrames() {
    }

    static byte[] frame(int opcode, byte[] payload) {
        return frame(opcode, payload, true, 0, true);
    }

    static byte[] frame(int opcode, byte[] payload, boolean fin, int rsv, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(maskBit | 126);
            out.writeBytes(ByteBuffer.allocate(2).putShort((short) payload.length).array());
        } else {
            out.write(maskBit | 127);
            out.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        if (!masked) {
            out.writeBytes(payload);
            return out.toByteArray();
        }
        byte[] mask = new byte[4];
        MASKS.nextBytes(mask);
        out.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i & 3]);
        }
        return out.toByteArray();
    }

    /** A close frame's payload: the code, then the reason. */
    static byte[] closePayload(int code, byte[] reason) {
        return ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason).array();
    }

    /** A text frame header declaring {@code length} with the given raw length bytes (no mask key follows). */
    static byte[] header(int firstByte, int secondByte, byte[] extendedLength) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        out.write(secondByte);
        out.writeBytes(extendedLength);
        out.writeBytes(new byte[] { 1, 2, 3, 4 });
        return out.toByteArray();
    }
}
