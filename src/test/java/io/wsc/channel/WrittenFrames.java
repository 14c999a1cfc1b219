package io.wsc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

/** What the fan-out wrote to an embedded socket, write by write. */
final class WrittenFrames {

    private WrittenFrames() {
    }

    /** Each write, as the text frames in it (unmasked, 7-bit lengths: the tests' payloads are under 126 bytes). */
    static List<List<String>> writes(EmbeddedChannel socket) {
        List<List<String>> writes = new ArrayList<>();
        for (ByteBuf write = socket.readOutbound(); write != null; write = socket.readOutbound()) {
            writes.add(frames(write));
        }
        return writes;
    }

    /** The text frames in one write, which is released. */
    static List<String> frames(ByteBuf write) {
        List<String> frames = new ArrayList<>();
        while (write.isReadable()) {
            assertEquals(0x81, write.readUnsignedByte(), "a final text frame");
            int length = write.readUnsignedByte();
            frames.add(write.readCharSequence(length, StandardCharsets.UTF_8).toString());
        }
        write.release();
        return frames;
    }
}
