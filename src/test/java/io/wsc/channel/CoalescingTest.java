package io.wsc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * One loop's pass over a burst of queued messages: subscribers that can take them all get them as one write, in
 * order; the others get them one by one, with the pending-output limit, holding and loss signals as exact as ever.
 * The loop is an embedded channel's, run by the test, so the burst is exactly what the test queued.
 */
class CoalescingTest {

    private static final int BODY = 100;
    private static final int FRAME = BODY + 2; // a 7-bit length header

    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final FanOutBacklog backlog = new FanOutBacklog();
    private final AtomicInteger evictions = new AtomicInteger();
    private final LoopGroup group = new LoopGroup(loop.eventLoop(), backlog, evictions::incrementAndGet);
    private final List<EmbeddedChannel> sockets = new ArrayList<>();

    @AfterEach
    void release() {
        sockets.forEach(EmbeddedSockets::release);
        loop.finishAndReleaseAll();
    }

    @Test
    void aBurstGoesToEachSubscriberAsOneWriteInOrderInEveryForm() throws Exception {
        Socket raw = open(FrameForm.RAW, 1 << 20);
        Socket json = open(FrameForm.JSON, 1 << 20);
        raw.flushes.set(0); // opening flushes what was held
        List<Publication> burst = publish(5);

        loop.runPendingTasks();

        assertEquals(List.of(texts(5)), raw.writes(), "raw: one write, every frame in order");
        List<List<String>> jsonWrites = json.writes();
        assertEquals(1, jsonWrites.size(), "json: one write");
        for (int m = 0; m < 5; m++) {
            assertEquals("{\"id\":\"" + (m + 1) + "\",\"data\":\"" + body(m) + "\"}", jsonWrites.get(0).get(m));
        }
        assertEquals(1, raw.flushes.get(), "one flush per subscriber per pass");
        for (Publication publication : burst) {
            assertEquals(2, publication.done.get(1, TimeUnit.SECONDS), "each counts both recipients");
        }
        assertEquals(0, backlog.messages());
        assertEquals(0, backlog.bytes());
    }

    @Test
    void aBurstGoesInOneWriteOnlyWithinThePendingAllowanceAndPastItTheSubscriberIsDropped() throws Exception {
        Socket roomy = open(FrameForm.RAW, 10 * FRAME); // exactly the burst
        Socket short1 = open(FrameForm.RAW, 10 * FRAME - 1); // one byte short: frame by frame, then dropped
        List<Publication> burst = publish(10);

        runQuietly(loop::runPendingTasks);

        assertEquals(List.of(texts(10)), roomy.writes(), "room for the burst: one write, in order");
        assertTrue(roomy.socket.isActive());
        assertFalse(short1.socket.isActive(), "past its allowance, the subscriber is dropped");
        assertEquals(1, evictions.get());
        List<List<String>> partial = short1.writes(); // an evicted connection's unsent output is discarded
        assertTrue(partial.stream().allMatch(write -> write.size() == 1), "one frame per write when short of room");
        List<String> got = partial.stream().map(write -> write.get(0)).toList();
        assertTrue(got.size() < 10 && texts(got.size()).equals(got), "at most a prefix, in order: " + got);
        assertEquals(2, burst.get(0).done.get(1, TimeUnit.SECONDS), "queued to both before the drop");
        assertEquals(1, burst.get(9).done.get(1, TimeUnit.SECONDS), "queued only to the one with room");
    }

    @Test
    void framesHeldDuringTheUpgradeGoOutFirstThenTheBurstInOrder() throws Exception {
        Socket upgrading = socket(FrameForm.RAW, 1 << 20); // joined, not yet open
        publish(3);
        loop.runPendingTasks();
        assertEquals(List.of(), upgrading.writes(), "held while the upgrade is answered");

        upgrading.subscriber.opened(farewell -> upgrading.socket.close());
        publish(3, 3);
        loop.runPendingTasks();

        List<String> got = upgrading.writes().stream().flatMap(List::stream).toList();
        assertEquals(texts(6), got);
    }

    @Test
    void aLossSignalClosesRawSubscribersAfterTheFramesBeforeItAndReachesJsonOnesInTheirWrite() throws Exception {
        AtomicReference<Farewell> farewell = new AtomicReference<>();
        Socket raw = socket(FrameForm.RAW, 1 << 20);
        raw.subscriber.opened(farewell::set);
        Socket json = open(FrameForm.JSON, 1 << 20);
        publish(2);
        group.offer(Publication.lossSignal("c", 2, 9));
        publish(2, 9);

        loop.runPendingTasks();

        assertEquals(texts(2), raw.writes().stream().flatMap(List::stream).toList(), "raw: what came before the loss");
        assertEquals(Farewell.MESSAGES_LOST, farewell.get());
        List<List<String>> jsonWrites = json.writes();
        assertEquals(1, jsonWrites.size());
        assertEquals("{\"type\":\"gap\",\"since\":\"2\",\"next\":\"9\"}", jsonWrites.get(0).get(2));
        assertEquals(5, jsonWrites.get(0).size());
    }

    private List<Publication> publish(int count) {
        return publish(count, 0);
    }

    /** Queues {@code count} messages, numbered from {@code first}, with ids from {@code first + 1}. */
    private List<Publication> publish(int count, int first) {
        List<Publication> published = new ArrayList<>();
        for (int m = first; m < first + count; m++) {
            byte[] body = body(m).getBytes(StandardCharsets.UTF_8);
            ByteBuf frame = Frames.encode(ByteBufAllocator.DEFAULT, body, false);
            Publication publication = new Publication(frame, new Message("c", body, false), m + 1);
            group.offer(publication);
            publication.loopDone(0); // the dispatcher's share
            published.add(publication);
        }
        return published;
    }

    private Socket open(FrameForm form, int maxPendingBytes) {
        Socket socket = socket(form, maxPendingBytes);
        socket.subscriber.opened(farewell -> socket.socket.close());
        return socket;
    }

    private Socket socket(FrameForm form, int maxPendingBytes) {
        WriteRecorder recorder = new WriteRecorder();
        EmbeddedChannel channel = new EmbeddedChannel(recorder);
        sockets.add(channel);
        Subscriber subscriber = new Subscriber("c", channel, maxPendingBytes, form);
        group.add(subscriber);
        return new Socket(channel, subscriber, recorder.flushes);
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (Exception e) {
            if (!(e instanceof ClosedChannelException)) {
                throw new AssertionError(e);
            }
        }
    }

    private static String body(int m) {
        String prefix = "message " + m + " ";
        return prefix + "x".repeat(BODY - prefix.length());
    }

    private static List<String> texts(int count) {
        List<String> texts = new ArrayList<>();
        for (int m = 0; m < count; m++) {
            texts.add(body(m));
        }
        return texts;
    }

    private record Socket(EmbeddedChannel socket, Subscriber subscriber, AtomicInteger flushes) {

        List<List<String>> writes() {
            return WrittenFrames.writes(socket);
        }
    }

    private static final class WriteRecorder extends ChannelOutboundHandlerAdapter {
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes.incrementAndGet();
            ctx.flush();
        }
    }
}
