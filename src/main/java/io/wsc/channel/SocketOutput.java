package io.wsc.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;

/**
 * A connection that is one subscriber's alone (a WebSocket, or an event stream over HTTP/1.1): frames go straight to
 * its Netty channel, whose write-buffer water mark is the pending-output bound.
 */
public final class SocketOutput implements SubscriberOutput {

    private static volatile WriteBufferWaterMark sharedMark;

    private final Channel socket;
    /**
     * Where frames enter the pipeline: below the WebSocket encoder once open, since they are encoded already. The
     * handlers above it (the encoder, Vert.x's connection handler) would only pass each one on; TLS, below, still
     * applies.
     */
    private ChannelOutboundInvoker writer;

    public SocketOutput(Channel socket, int maxPendingBytes) {
        this.socket = socket;
        this.writer = socket;
        socket.config().setWriteBufferWaterMark(waterMark(maxPendingBytes));
    }

    /** One immutable mark shared by every subscriber (the limit is one setting), not one object per connection. */
    private static WriteBufferWaterMark waterMark(int maxPendingBytes) {
        WriteBufferWaterMark mark = sharedMark;
        if (mark == null || mark.high() != maxPendingBytes) {
            mark = new WriteBufferWaterMark(maxPendingBytes / 2, maxPendingBytes);
            sharedMark = mark;
        }
        return mark;
    }

    @Override
    public Channel socket() {
        return socket;
    }

    @Override
    public boolean isOpen() {
        return socket.isActive();
    }

    @Override
    public boolean hasRoom() {
        return socket.isWritable();
    }

    @Override
    public long room() {
        return socket.bytesBeforeUnwritable();
    }

    @Override
    public void write(ByteBuf frame) {
        writer.write(frame, socket.voidPromise());
    }

    @Override
    public void flush() {
        writer.flush();
    }

    @Override
    public void opened() {
        ChannelHandlerContext encoder = socket.pipeline().context(WebSocketFrameEncoder.class);
        if (encoder != null) {
            writer = encoder;
        }
    }

    /**
     * Closing from the head of the pipeline skips Vert.x's WebSocket handler, which would otherwise send a close frame
     * and wait up to 10 s for the peer to answer it.
     */
    @Override
    public void closeNow() {
        ChannelHandlerContext first = socket.pipeline().firstContext();
        if (first != null) { // null once the connection is closed and its pipeline emptied
            first.close();
        }
    }

    @Override
    public void whenClosed(Runnable action) {
        socket.closeFuture().addListener(closed -> action.run());
    }
}
