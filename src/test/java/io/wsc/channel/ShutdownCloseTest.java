package io.wsc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;

/**
 * A shutdown closes subscribers from another thread while publishes it already answered may still be queued on their
 * loop: those messages go out first, then the close. Real in-VM channels on a real event loop, which the test holds
 * busy while it queues the messages and the shutdown's close behind one another.
 */
class ShutdownCloseTest {

    private static final byte[] CLOSE_FRAME = {(byte) 0x88, 0};

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);

    @AfterEach
    void stop() throws Exception {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void messagesAnsweredBeforeTheShutdownReachTheSubscriberAheadOfItsClose() throws Exception {
        ByteBuf received = Unpooled.buffer();
        CountDownLatch closeReceived = new CountDownLatch(1);
        Channel socket = connectedPair(received, closeReceived);
        LoopGroup group = new LoopGroup(socket.eventLoop(), new FanOutBacklog(), () -> { });
        Subscriber subscriber = new Subscriber("c", socket, 1 << 20, FrameForm.RAW);
        group.add(subscriber);
        socket.eventLoop().submit(() -> subscriber.opened(
                farewell -> socket.writeAndFlush(Unpooled.wrappedBuffer(CLOSE_FRAME)))).sync();

        CountDownLatch busy = new CountDownLatch(1);
        socket.eventLoop().execute(() -> await(busy)); // the loop is busy: what follows queues behind it
        List<Publication> answered = new ArrayList<>();
        for (int m = 1; m <= 3; m++) {
            answered.add(publish(group, "message " + m, m));
        }
        subscriber.closeGracefully(); // the shutdown thread
        busy.countDown();

        assertTrue(closeReceived.await(5, TimeUnit.SECONDS), "the close arrives");
        assertEquals(List.of("message 1", "message 2", "message 3", "close"), frames(received),
                "every queued message, in order, ahead of the close");
        for (Publication publication : answered) {
            assertEquals(1, publication.done.get(1, TimeUnit.SECONDS), "each reached its one subscriber");
        }
        received.release();
    }

    /** The server side of an in-VM connection; what the client side receives goes to {@code received}. */
    private Channel connectedPair(ByteBuf received, CountDownLatch closeReceived) throws Exception {
        LocalAddress address = new LocalAddress("shutdown-close-" + System.nanoTime());
        CountDownLatch accepted = new CountDownLatch(1);
        Channel[] serverSide = new Channel[1];
        new ServerBootstrap().group(loops).channel(LocalServerChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        serverSide[0] = ctx.channel();
                        accepted.countDown();
                    }
                }).bind(address).sync();
        new Bootstrap().group(loops).channel(LocalChannel.class).handler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf bytes = (ByteBuf) msg;
                received.writeBytes(bytes);
                bytes.release();
                if (received.getByte(received.writerIndex() - 2) == CLOSE_FRAME[0]) {
                    closeReceived.countDown();
                }
            }
        }).connect(address).sync();
        assertTrue(accepted.await(5, TimeUnit.SECONDS));
        return serverSide[0];
    }

    private static Publication publish(LoopGroup group, String text, long id) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = Frames.encode(ByteBufAllocator.DEFAULT, body, false);
        Publication publication = new Publication(frame, new Message("c", body, false), id);
        group.offer(publication);
        publication.loopDone(0); // the dispatcher's share
        return publication;
    }

    /** The text frames (unmasked, 7-bit lengths) and close frames in what arrived, in order. */
    private static List<String> frames(ByteBuf received) {
        List<String> frames = new ArrayList<>();
        while (received.isReadable()) {
            int opcode = received.readUnsignedByte();
            int length = received.readUnsignedByte();
            frames.add(opcode == 0x81 ? received.readCharSequence(length, StandardCharsets.UTF_8).toString() : "close");
            received.skipBytes(opcode == 0x81 ? 0 : length);
        }
        return frames;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
