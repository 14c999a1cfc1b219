package io.wsc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;

/**
 * One connection, several channels: each channel's group on the loop writes to the same socket, which flushes once for
 * all of them; frames name their channel; the pending-output bound and the frames held during the upgrade are the
 * connection's, not each channel's.
 */
class MultiplexedConnectionTest {

    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final FanOutBacklog backlog = new FanOutBacklog();
    private final AtomicInteger evictions = new AtomicInteger();
    private final LoopGroup room = new LoopGroup(loop.eventLoop(), backlog, evictions::incrementAndGet);
    private final LoopGroup news = new LoopGroup(loop.eventLoop(), backlog, evictions::incrementAndGet);
    /** With a handler: closing a subscriber's connection at once starts from the first one. */
    private final EmbeddedChannel socket = new EmbeddedChannel(new ChannelOutboundHandlerAdapter());

    @AfterEach
    void release() {
        EmbeddedSockets.release(socket);
        loop.finishAndReleaseAll();
    }

    /**
     * The socket's writes and flushes are recorded, not passed on, and come from a WebSocket encoder's context as on a
     * real subscriber: an embedded channel runs its loop's pending tasks (the deferred flush among them) inside every
     * write or flush that reaches it, where a real loop runs them in turn.
     */
    @Test
    void batchesOfSeveralChannelsLeaveWithOneFlushAndNameTheirChannel() {
        List<String> events = new ArrayList<>();
        socket.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                WrittenFrames.frames((ByteBuf) msg).forEach(events::add);
            }

            @Override
            public void flush(ChannelHandlerContext ctx) {
                events.add("flush");
            }
        }, new WebSocket13FrameEncoder(false));
        join(1 << 20).opened(farewell -> socket.close());
        events.clear(); // opening flushes what was held
        publish(room, "chat/room/1", "hello", 7);
        publish(news, "news", "extra \"quoted\"", 3);
        publish(room, "chat/room/1", "again", 8);

        loop.runPendingTasks(); // both groups write; the flush waits for the end of the loop's turn
        socket.runPendingTasks();

        assertEquals(List.of("{\"channel\":\"chat/room/1\",\"id\":\"7\",\"data\":\"hello\"}",
                "{\"channel\":\"chat/room/1\",\"id\":\"8\",\"data\":\"again\"}",
                "{\"channel\":\"news\",\"id\":\"3\",\"data\":\"extra \\\"quoted\\\"\"}", "flush"), events,
                "one flush, after both channels' batches");
    }

    @Test
    void framesHeldDuringTheUpgradeShareOneAllowance() {
        join(100); // two frames of about 60 bytes each fit a channel's allowance alone, not the connection's
        publish(room, "chat/room/1", "x".repeat(20), 1);
        publish(news, "news", "y".repeat(20), 1);

        loop.runPendingTasks();

        assertFalse(socket.isActive(), "held output past the connection's allowance drops it");
    }

    @Test
    void aLossSignalOnOneChannelIsAGapFrameNamingItAndTheConnectionStaysOpen() {
        join(1 << 20).opened(farewell -> socket.close());
        Publication signal = Publication.lossSignal("news", 3, 9);
        news.offer(signal);
        signal.loopDone(0);

        loop.runPendingTasks();
        socket.runPendingTasks();

        assertTrue(socket.isActive());
        assertEquals(List.of(List.of("{\"type\":\"gap\",\"channel\":\"news\",\"since\":\"3\",\"next\":\"9\"}")),
                WrittenFrames.writes(socket));
    }

    /** The connection's two subscribers, joined to their groups; returns the first. */
    private Subscriber join(int maxPendingBytes) {
        SubscriberConnection connection = new SubscriberConnection(socket, maxPendingBytes, 2);
        Subscriber first = new Subscriber("chat/room/1", connection, FrameForm.MULTIPLEXED_JSON, 0);
        room.add(first);
        news.add(new Subscriber("news", connection, FrameForm.MULTIPLEXED_JSON, 1));
        return first;
    }

    private static void publish(LoopGroup group, String channel, String text, long id) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Frames.encode(ByteBufAllocator.DEFAULT, body, false);
        Publication publication = new Publication(frame, new Message(channel, body, false), id);
        group.offer(publication);
        publication.loopDone(0);
    }
}
