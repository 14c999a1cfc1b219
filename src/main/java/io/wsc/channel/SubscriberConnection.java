package io.wsc.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;

/**
 * The connection behind one or more {@link Subscriber}s (a WebSocket, or an HTTP response streaming events): one per
 * channel it subscribed to, all writing to this one socket. Frames go straight to its Netty channel, whose
 * write-buffer water mark bounds the output it may have pending, whatever channel it came from; a connection past it
 * is dropped instead of queued for.
 * <p>
 * Its subscribers join their channels while the upgrade is still being answered, so nothing published after a client
 * started to connect is missed. Until the WebSocket is open or the event stream's head is written ({@link #opened}),
 * frames are held here, within the same allowance, then written first, in order.
 * <p>
 * A connection with several channels flushes once per turn of its event loop rather than once per channel's batch:
 * messages of several channels published together then leave in one system call, as a single channel's do.
 */
public final class SubscriberConnection {

    private static volatile WriteBufferWaterMark sharedMark;

    private final Channel socket;
    private final int maxPendingBytes;
    /** Null for a single channel, which flushes at once; for several, the task that flushes once per loop turn. */
    private final Runnable deferredFlush;
    /** A deferred flush is queued on the loop (read and written on the loop only). */
    private boolean flushQueued;
    /** When the peer last proved it is alive (connected, or answered a ping), from {@link System#nanoTime()}. */
    private volatile long lastSeenNanos = System.nanoTime();
    /** Set once a close is on its way (RFC 6455, 5.5.1, allows no data frames after a close frame), and why. */
    private volatile Farewell closing;
    /** Sends a close frame behind queued output; set once the WebSocket is open, which also ends the holding. */
    private volatile Consumer<Farewell> gracefulClose;
    /**
     * Where frames enter the pipeline: below the WebSocket encoder once open, since they are encoded already. The
     * handlers above it (the encoder, Vert.x's connection handler) would only pass each one on; TLS, below, still
     * applies.
     */
    private ChannelOutboundInvoker writer; // set on the loop, before gracefulClose publishes it
    /** Frames published while the upgrade was being answered, in order (guarded by this; null once open). */
    private List<Held> held = new ArrayList<>(0);
    private long heldBytes;

    /**
     * @param socket the connection's Netty channel (being upgraded to WebSocket, or answering an event stream)
     * @param maxPendingBytes unsent output allowed before a write gives up on this connection
     * @param channels how many channels it subscribes to
     */
    public SubscriberConnection(Channel socket, int maxPendingBytes, int channels) {
        this.socket = socket;
        this.writer = socket;
        this.maxPendingBytes = maxPendingBytes;
        this.deferredFlush = channels > 1 ? this::flushDeferred : null;
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

    /** The connection's Netty channel. */
    public Channel socket() {
        return socket;
    }

    /**
     * The subscriber's catch-up from history after {@code since} (before the connection is answered, so while frames
     * are still held): these go out first, and live messages of its channel up to the catch-up's last id are skipped,
     * held or not, as already sent. Its bytes count against what may be held until the socket opens.
     */
    synchronized void resume(Subscriber subscriber, CatchUp catchUp, long since) {
        subscriber.resumedThrough = catchUp.lastId();
        if (held == null) { // closed already
            return;
        }
        List<Held> merged = new ArrayList<>();
        heldBytes = 0;
        for (ByteBuf frame : catchUp.frames(subscriber.form(), subscriber.channelId(), since)) {
            merged.add(new Held(frame, 0, subscriber));
            heldBytes += frame.readableBytes();
        }
        for (Held live : held) {
            if (live.owner() != subscriber || live.id() > subscriber.resumedThrough) {
                merged.add(live);
                heldBytes += live.frame().readableBytes();
            } else {
                live.frame().release();
            }
        }
        held = merged;
        if (heldBytes > maxPendingBytes) {
            closeNow(); // what is held is released in discardHeld when the connection closes
        }
    }

    /** See {@link Subscriber#write}. */
    Subscriber.Delivery write(Subscriber subscriber, ByteBuf frame, long id) {
        if (closing != null || !socket.isActive()) {
            return Subscriber.Delivery.CLOSED;
        }
        if (id <= subscriber.resumedThrough && id > 0) {
            return Subscriber.Delivery.SKIPPED;
        }
        if (gracefulClose == null) {
            Subscriber.Delivery held = hold(subscriber, frame, id);
            if (held != null) {
                return held;
            }
        }
        if (!socket.isWritable()) {
            closeNow();
            return Subscriber.Delivery.EVICTED;
        }
        writer.write(frame.retainedDuplicate(), socket.voidPromise());
        return Subscriber.Delivery.SENT;
    }

    /** See {@link Subscriber#writeAll}. */
    boolean writeAll(Subscriber subscriber, ByteBuf frames, long lowestId) {
        if (frames == null || gracefulClose == null || closing != null || !socket.isActive()
                || lowestId <= subscriber.resumedThrough
                || socket.bytesBeforeUnwritable() <= frames.readableBytes()) { // writable after it: within the mark
            return false;
        }
        writer.write(frames.retainedDuplicate(), socket.voidPromise());
        return true;
    }

    /**
     * Sends what was written; frames held during the upgrade wait for {@link #opened}. Called on the loop. With
     * several channels, once at the end of this loop turn: the other channels' batches queued behind this one are
     * written first and leave with it.
     */
    void flush() {
        if (gracefulClose == null) {
            return;
        }
        if (deferredFlush == null) {
            writer.flush();
        } else if (!flushQueued) {
            flushQueued = true;
            socket.eventLoop().execute(deferredFlush);
        }
    }

    private void flushDeferred() {
        flushQueued = false;
        writer.flush();
    }

    /** Keeps a share of the frame while the upgrade is answered; null once the connection is open. */
    private synchronized Subscriber.Delivery hold(Subscriber subscriber, ByteBuf frame, long id) {
        if (held == null) {
            return null;
        }
        if (id <= subscriber.resumedThrough && id > 0) { // resumed between the check in write and here
            return Subscriber.Delivery.SKIPPED;
        }
        if (heldBytes + frame.readableBytes() > maxPendingBytes) {
            closeNow(); // what is held is released in discardHeld when the connection closes
            return Subscriber.Delivery.EVICTED;
        }
        heldBytes += frame.readableBytes();
        held.add(new Held(frame.retainedDuplicate(), id, subscriber));
        return Subscriber.Delivery.SENT;
    }

    /** A held frame, its message's id (0: not from a live message, or history off), and whose channel it is of. */
    private record Held(ByteBuf frame, long id, Subscriber owner) {
    }

    /**
     * The WebSocket is open (called on the connection's event loop): held frames go out first, then frames are written
     * directly. {@code gracefulClose} sends a close frame behind any queued output; it runs at once if the connection
     * was closed during the upgrade (the server began shutting down, or messages were lost).
     */
    public synchronized void opened(Consumer<Farewell> gracefulClose) {
        ChannelHandlerContext encoder = socket.pipeline().context(WebSocketFrameEncoder.class);
        if (encoder != null) {
            writer = encoder;
        }
        if (held != null) {
            held.forEach(frame -> socket.write(frame.frame(), socket.voidPromise()));
            socket.flush();
            held = null;
        }
        this.gracefulClose = gracefulClose;
        if (closing != null) {
            gracefulClose.accept(closing);
        }
    }

    /** The connection closed: held frames are released; later ones go to the closed socket, which drops them. */
    public synchronized void discardHeld() {
        if (held != null) {
            held.forEach(frame -> frame.frame().release());
            held = null;
        }
    }

    /** The peer answered a ping. */
    public void seen() {
        lastSeenNanos = System.nanoTime();
    }

    /** True when the peer has answered no ping since {@code nowNanos - silenceNanos}. */
    boolean silentSince(long nowNanos, long silenceNanos) {
        return nowNanos - lastSeenNanos > silenceNanos;
    }

    /**
     * Writes and flushes a frame that belongs to no message (an event stream's heartbeat); the caller keeps owning
     * {@code frame}. Called on the socket's event loop, once {@link #opened}. Skipped while output is backed up: the
     * connection is not quiet then, and dropping a slow subscriber is the fan-out's call (where it is counted).
     */
    public void sendExtra(ByteBuf frame) {
        if (socket.isWritable() && closing == null && socket.isActive() && gracefulClose != null) {
            writer.write(frame.retainedDuplicate(), socket.voidPromise());
            writer.flush();
        }
    }

    /** Sends a close frame with the farewell's code after what is queued (now, or once the socket is open); once. */
    synchronized void close(Farewell farewell) {
        if (closing != null) {
            return;
        }
        closing = farewell;
        if (gracefulClose != null) {
            gracefulClose.accept(farewell);
        }
    }

    /**
     * {@link #close}, run on the socket's event loop after the tasks already queued there: the fan-out's passes, which
     * would otherwise find the connection closing and skip messages whose publishes were already answered.
     */
    void closeAfterQueuedPasses(Farewell farewell) {
        try {
            socket.eventLoop().execute(() -> close(farewell));
        } catch (RejectedExecutionException loopStopped) {
            close(farewell);
        }
    }

    /**
     * Drops the TCP connection at once, discarding queued output. Closing from the head of the pipeline skips Vert.x's
     * WebSocket handler, which would otherwise send a close frame and wait up to 10 s for the peer to answer it.
     */
    public void closeNow() {
        ChannelHandlerContext first = socket.pipeline().firstContext();
        if (first != null) { // null once the connection is closed and its pipeline emptied
            first.close();
        }
    }
}
