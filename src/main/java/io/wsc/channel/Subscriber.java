package io.wsc.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;

/**
 * One subscriber of a channel: a WebSocket, or an HTTP response streaming events ({@link FrameForm#SSE}). Frames are
 * written straight to its Netty channel, whose write-buffer water mark bounds the output it may have pending; a
 * subscriber past it is dropped instead of queued for.
 * <p>
 * A subscriber joins its channel while its upgrade is still being answered, so nothing published after a client
 * started to connect is missed. Until the WebSocket is open or the event stream's head is written ({@link #opened}),
 * frames are held here, then written first, in order.
 */
public final class Subscriber {

    private static volatile WriteBufferWaterMark sharedMark;

    private final String channelId;
    private final Channel socket;
    private final int maxPendingBytes;
    private final FrameForm form;
    /** Messages up to this id came from history when it joined ({@link #resume}); live copies of them are skipped. */
    private volatile long resumedThrough;
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
    /** Frames published while the upgrade was being answered, with their ids (guarded by this; null once open). */
    private List<Held> held = new ArrayList<>(0);
    private long heldBytes;

    /**
     * @param socket the connection's Netty channel (being upgraded to WebSocket, or answering an event stream)
     * @param maxPendingBytes unsent output allowed before {@link #write} gives up on this subscriber
     * @param form how it takes messages: raw or JSON WebSocket frames, or events of an HTTP event stream
     */
    public Subscriber(String channelId, Channel socket, int maxPendingBytes, FrameForm form) {
        this.form = form;
        this.channelId = channelId;
        this.socket = socket;
        this.writer = socket;
        this.maxPendingBytes = maxPendingBytes;
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

    public String channelId() {
        return channelId;
    }

    FrameForm form() {
        return form;
    }

    /**
     * Its catch-up from history after {@code since} (before the upgrade or stream is answered, so while frames are
     * still held): these go out first, and live messages up to the catch-up's last id are skipped, held or not, as
     * already sent. Its bytes count against what may be held until the socket opens.
     */
    public synchronized void resume(CatchUp catchUp, long since) {
        if (form == FrameForm.RAW) {
            throw new IllegalStateException("A raw subscriber cannot resume: its frames carry no ids");
        }
        resumedThrough = catchUp.lastId();
        if (held == null) { // closed already
            return;
        }
        List<Held> merged = new ArrayList<>();
        heldBytes = 0;
        for (ByteBuf frame : catchUp.frames(form, since)) {
            merged.add(new Held(frame, 0));
            heldBytes += frame.readableBytes();
        }
        for (Held live : held) {
            if (live.id() > resumedThrough) {
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

    /** The connection's Netty channel. */
    public Channel socket() {
        return socket;
    }

    /**
     * Writes a share of {@code frame} (an encoded frame the caller keeps owning) without flushing it; called on the
     * socket's event loop, followed by {@link #flush}. A subscriber with more than its allowance pending is dropped at
     * once (a close frame would wait behind its queue).
     */
    Delivery write(ByteBuf frame, long id) {
        if (closing != null || !socket.isActive()) {
            return Delivery.CLOSED;
        }
        if (id <= resumedThrough && id > 0) {
            return Delivery.SKIPPED;
        }
        if (gracefulClose == null) {
            Delivery held = hold(frame, id);
            if (held != null) {
                return held;
            }
        }
        if (!socket.isWritable()) {
            closeNow();
            return Delivery.EVICTED;
        }
        writer.write(frame.retainedDuplicate(), socket.voidPromise());
        return Delivery.SENT;
    }

    /**
     * Writes a share of {@code frames} (a batch's frames back to back, which the caller keeps owning) without flushing
     * it, when this subscriber takes all of them: open, none of them sent already by its catch-up (ids from
     * {@code lowestId} up), and room for all within its pending allowance. False, writing nothing, otherwise (or for a
     * null batch): the caller then writes them one by one with {@link #write}, which holds, skips or drops exactly.
     */
    boolean writeAll(ByteBuf frames, long lowestId) {
        if (frames == null || gracefulClose == null || closing != null || !socket.isActive()
                || lowestId <= resumedThrough
                || socket.bytesBeforeUnwritable() <= frames.readableBytes()) { // writable after it: within the mark
            return false;
        }
        writer.write(frames.retainedDuplicate(), socket.voidPromise());
        return true;
    }

    /** Sends what {@link #write} queued; frames held during the upgrade wait for {@link #opened}. */
    void flush() {
        if (gracefulClose != null) {
            writer.flush();
        }
    }

    /** Keeps a share of the frame while the upgrade is answered; null once the WebSocket is open. */
    private synchronized Delivery hold(ByteBuf frame, long id) {
        if (held == null) {
            return null;
        }
        if (id <= resumedThrough && id > 0) { // resumed between the check in write and here
            return Delivery.SKIPPED;
        }
        if (heldBytes + frame.readableBytes() > maxPendingBytes) {
            closeNow(); // what is held is released in discardHeld when the connection closes
            return Delivery.EVICTED;
        }
        heldBytes += frame.readableBytes();
        held.add(new Held(frame.retainedDuplicate(), id));
        return Delivery.SENT;
    }

    /** A held frame and its message's id (0: not from a live message, or history off). */
    private record Held(ByteBuf frame, long id) {
    }

    enum Delivery {
        /** Written (or held). */
        SENT,
        /** Its catch-up had it. */
        SKIPPED,
        CLOSED, EVICTED
    }

    /**
     * The WebSocket is open (called on the connection's event loop): held frames go out first, then frames are written
     * directly. {@code gracefulClose} sends a close frame behind any queued output; it runs at once if the subscriber
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

    /**
     * True when the peer has answered no ping since {@code nowNanos - silenceNanos}. Never for an event stream: HTTP has
     * no pings to answer; its heartbeat finds a vanished peer instead (the write fails and the connection closes).
     */
    boolean silentSince(long nowNanos, long silenceNanos) {
        return form != FrameForm.SSE && nowNanos - lastSeenNanos > silenceNanos;
    }

    /**
     * Writes and flushes a frame that belongs to no message (an event stream's heartbeat); the caller keeps owning
     * {@code frame}. Called on the socket's event loop, once {@link #opened}. Skipped while output is backed up: the
     * connection is not quiet then, and dropping a slow subscriber is the fan-out's call (where it is counted).
     */
    public void sendExtra(ByteBuf frame) {
        if (socket.isWritable() && write(frame, 0) == Delivery.SENT) {
            flush();
        }
    }

    /** Sends a close frame after what is queued (now, or as soon as the socket is open); used on shutdown. */
    public void closeGracefully() {
        close(Farewell.SHUTDOWN);
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
