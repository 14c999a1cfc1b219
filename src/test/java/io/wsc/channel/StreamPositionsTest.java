package io.wsc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;

/** A multiplexed event stream's id: its place in each channel, in the URL's order, and back from Last-Event-ID. */
class StreamPositionsTest {

    private static String line(StreamPositions positions, int channel, long id) {
        ByteBuf line = positions.idLine(channel, id);
        try {
            return line.toString(StandardCharsets.US_ASCII);
        } finally {
            line.release();
        }
    }

    @Test
    void eachMessageMovesItsChannelAndNamesEveryChannelsPlace() {
        StreamPositions positions = new StreamPositions(3);
        positions.start(0, 12);
        positions.start(2, 0);
        assertEquals("id: 12,5,0\n", line(positions, 1, 5), "a channel not started yet reads 0: all that is kept");
        assertEquals("id: 13,5,0\n", line(positions, 0, 13));
        assertEquals("id: 13,5,0\n", line(positions, 0, 9), "never backwards");
    }

    @Test
    void aStartOnlyLowersSoAHeldMessageIsNotSkipped() {
        StreamPositions positions = new StreamPositions(1);
        positions.start(0, 0);
        positions.start(0, 7);
        assertEquals("id: 8\n", line(positions, 0, 8), "the empty channel's 0 stands; a held 8 said 7");
        StreamPositions later = new StreamPositions(1);
        later.start(0, 20);
        later.start(0, 17);
        later.start(0, -1);
        assertEquals("id: 18\n", line(later, 0, 18));
    }

    @Test
    void lastEventIdReadsBackPerChannel() {
        assertEquals(Map.of("a", 12L, "b", 0L), StreamPositions.parse("12,0", List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> StreamPositions.parse("12", List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> StreamPositions.parse("12,x", List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> StreamPositions.parse("12,", List.of("a", "b")));
    }
}
