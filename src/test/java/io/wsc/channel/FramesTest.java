package io.wsc.channel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/** Our encoded frames, read back by Netty's own client-side WebSocket decoder, at every length-field boundary. */
class FramesTest {

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 125, 126, 127, 65535, 65536, 1048576 })
    void netty_decodes_what_we_encode(int length) {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);
        for (boolean binary : new boolean[] { false, true }) {
            EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 2 * 1048576));
            client.writeInbound(Frames.encode(ByteBufAllocator.DEFAULT, payload, binary));
            WebSocketFrame frame = client.readInbound();
            assertEquals(binary ? BinaryWebSocketFrame.class : TextWebSocketFrame.class, frame.getClass());
            assertEquals(true, frame.isFinalFragment());
            assertArrayEquals(payload, ByteBufUtil.getBytes(frame.content()));
            frame.release();
            client.finishAndReleaseAll();
        }
    }
}
