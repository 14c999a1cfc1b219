package io.wsc.channel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Where a {@link SubscriberConnection}'s frames go, and what bounds the output it may have pending: a socket of its
 * own (a WebSocket, or an event stream over HTTP/1.1: {@link SocketOutput}), or one stream of an HTTP/2 connection
 * that other requests share. Every method but {@link #closeNow} and {@link #whenClosed} is called on the socket's
 * event loop.
 */
public interface SubscriberOutput {

    /** The Netty channel of the TCP connection; its event loop runs every write. */
    Channel socket();

    /** Frames written now can still reach the peer. */
    boolean isOpen();

    /** Below the pending-output bound: one more frame may be queued. */
    boolean hasRoom();

    /** How many more bytes may be queued while staying below the bound; zero or less when at it. */
    long room();

    /** Queues a frame, without flushing; takes ownership of {@code frame}. */
    void write(ByteBuf frame);

    void flush();

    /** The subscription is answered (its WebSocket open, its stream's head written): live frames go out from now. */
    default void opened() {
    }

    /** Drops the output at once, discarding what is queued; from any thread. */
    void closeNow();

    /** Runs {@code action} once the output is closed, however that happens (at once if it is already). */
    void whenClosed(Runnable action);
}
