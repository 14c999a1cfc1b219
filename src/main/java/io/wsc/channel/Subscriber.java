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
     * allowance pending is dropped at once, discarding the queued output (a close frame would wait behind it).
     */
    Delivery send(ByteBuf frame) {
        if (!socket.isActive()) {
            return Delivery.CLOSED;
        }
        if (!socket.isWritable()) {
            socket.close();
            return Delivery.EVICTED;
        }
        socket.writeAndFlush(frame.retainedDuplicate(), socket.voidPromise());
        return Delivery.SENT;
    }

    enum Delivery {
        SENT, CLOSED, EVICTED
    }

    /** Sends a close frame after what is queued; used when the whole server shuts down. */
    public void closeGracefully() {
        gracefulClose.run();
    }

    /** Hard close for a subscriber that did not finish its graceful close in time. */
    public void closeNow() {
        socket.close();
    }
}
