package io.wsc.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.WriteBufferWaterMark;

/**
 * One open WebSocket subscribed to a channel. Frames are written straight to its Netty channel, whose write-buffer
 * water mark bounds the output it may have pending; a subscriber past it is dropped instead of queued for.
 */
public final class Subscriber {

    private final String channelId;
    private final Channel socket;
    private final Runnable gracefulClose;
    /** When the peer last proved it is alive (connected, or answered a ping), from {@link System#nanoTime()}. */
    private volatile long lastSeenNanos = System.nanoTime();
    /** Set once a close frame is on its way: RFC 6455 (5.5.1) allows no data frames after it. */
    private volatile boolean closing;

    /**
     * @param socket the upgraded connection's Netty channel
     * @param maxPendingBytes unsent output allowed before {@link #send} gives up on this subscriber
     * @param gracefulClose sends a close frame behind any queued output (used on shutdown)
     */
    public Subscriber(String channelId, Channel socket, int maxPendingBytes, Runnable gracefulClose) {
        this.channelId = channelId;
        this.socket = socket;
        this.gracefulClose = gracefulClose;
        socket.config().setWriteBufferWaterMark(new WriteBufferWaterMark(maxPendingBytes / 2, maxPendingBytes));
    }

    public String channelId() {
        return channelId;
    }

    /**
     * Queues a share of {@code frame} (an encoded frame the caller keeps owning). A subscriber with more than its
     * allowance pending is dropped at once (a close frame would wait behind its queue).
     */
    Delivery send(ByteBuf frame) {
        if (closing || !socket.isActive()) {
            return Delivery.CLOSED;
        }
        if (!socket.isWritable()) {
            closeNow();
            return Delivery.EVICTED;
        }
        socket.writeAndFlush(frame.retainedDuplicate(), socket.voidPromise());
        return Delivery.SENT;
    }

    enum Delivery {
        SENT, CLOSED, EVICTED
    }

    /** The peer answered a ping. */
    public void seen() {
        lastSeenNanos = System.nanoTime();
    }

    /** True when the peer has answered no ping since {@code nowNanos - silenceNanos}. */
    boolean silentSince(long nowNanos, long silenceNanos) {
        return nowNanos - lastSeenNanos > silenceNanos;
    }

    /** Sends a close frame after what is queued; used when the whole server shuts down. */
    public void closeGracefully() {
        closing = true;
        gracefulClose.run();
    }

    /**
     * Drops the TCP connection at once, discarding queued output. Closing from the head of the pipeline skips Vert.x's
     * WebSocket handler, which would otherwise send a close frame and wait up to 10 s for the peer to answer it.
     */
    public void closeNow() {
        socket.pipeline().firstContext().close();
    }
}
