package io.wsc.channel;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Where a multiplexed event stream is in each of its channels, sent as the {@code id} of each of its messages: the
 * last id of every channel, in the order its URL names them ({@code id: 12,0,7}). A browser's {@code EventSource}
 * reconnects by itself and sends the last id it saw as {@code Last-Event-ID}, so every channel resumes where it was,
 * not only the one whose message came last. Written on the connection's event loop, in the order frames go out.
 */
public final class StreamPositions {

    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);

    private final long[] ids;

    StreamPositions(int channels) {
        this.ids = new long[channels];
        Arrays.fill(ids, -1); // not known yet
    }

    /**
     * Where a channel starts: its last id when the stream joined it, or lower (a message held since the join, with
     * a lower id, is still to go out). A resume from here misses nothing the stream was meant to get.
     */
    synchronized void start(int channel, long lastId) {
        if (lastId >= 0) {
            ids[channel] = ids[channel] < 0 ? lastId : Math.min(ids[channel], lastId);
        }
    }

    /** The id line to write in front of the message {@code id} of the channel: the positions once it is sent. */
    synchronized ByteBuf idLine(int channel, long id) {
        ids[channel] = Math.max(ids[channel], id);
        StringBuilder line = new StringBuilder(ids.length * 8);
        for (long each : ids) {
            line.append(line.isEmpty() ? "" : ",").append(Math.max(each, 0)); // 0: from the channel's first kept
        }
        byte[] text = line.toString().getBytes(StandardCharsets.US_ASCII);
        return ByteBufAllocator.DEFAULT.directBuffer(ID.length + text.length + 1).writeBytes(ID).writeBytes(text)
                .writeByte('\n');
    }

    /**
     * A {@code Last-Event-ID} such a stream sent as channel -> the id to resume after, for the stream's channels in
     * its URL's order.
     *
     * @throws IllegalArgumentException unless it is one message id per channel
     */
    public static Map<String, Long> parse(String lastEventId, List<String> channels) {
        String[] each = lastEventId.split(",", -1);
        if (each.length != channels.size()) {
            throw new IllegalArgumentException("Last-Event-ID names " + each.length + " positions for "
                    + channels.size() + " channels");
        }
        Map<String, Long> since = new HashMap<>();
        for (int i = 0; i < each.length; i++) {
            since.put(channels.get(i), MessageId.parse(each[i].trim()));
        }
        return since;
    }
}
