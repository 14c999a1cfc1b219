package io.wsc.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * The connection behind one or more {@link Subscriber}s (a WebSocket, or an HTTP response streaming events): one per
 * channel it subscribed to, all writing to this one output. Frames go straight to its {@link SubscriberOutput} (its
 * Netty channel, or its HTTP/2 stream), which bounds the output it may have pending, whatever channel it came from; a
 * connection past it is dropped instead of queued for.
 * <p>
 * Its subscribers join their channels while the upgrade is still being answered, so nothing published after a client
 * started to connect is missed. Until the WebSocket is open or the event stream's head is written ({@link #opened}),
 * frames are held here, within the same allowance, then written first, in order.
 * <p>
 * A connection with several channels flushes once per turn of its event loop rather than once per channel's batch:
 * messages of several channels published together then leave in one system call, as a single channel's do.
 */
public final class SubscriberConnection {

    private final SubscriberOutput output;
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
    /** Frames published while the upgrade was being answered, in order (guarded by this; null once open). */
    private List<Held> held = new ArrayList<>(0);
    private long heldBytes;
    /** A multiplexed event stream's place in each channel, the id of each message it sends; null for others. */
    private final StreamPositions positions;

    /**
     * @param socket the connection's Netty channel (being upgraded to WebSocket, or answering an event stream)
     * @param maxPendingBytes unsent output allowed before a write gives up on this connection
     * @param channels how many channels it subscribes to
     */
    public SubscriberConnection(Channel socket, int maxPendingBytes, int channels) {
        this(new SocketOutput(socket, maxPendingBytes), maxPendingBytes, channels, FrameForm.RAW);
    }

    /**
     * @param output where its frames go, bounded at {@code maxPendingBytes} of unsent output
     * @param maxPendingBytes what may be held until the connection is answered
     * @param channels how many channels it subscribes to
     * @param form how its subscribers take messages
     */
    public SubscriberConnection(SubscriberOutput output, int maxPendingBytes, int channels, FrameForm form) {
        this.output = output;
        this.maxPendingBytes = maxPendingBytes;
        this.deferredFlush = channels > 1 ? this::flushDeferred : null;
        this.positions = form == FrameForm.MULTIPLEXED_SSE ? new StreamPositions(channels) : null;
    }

    /** True for a multiplexed event stream, whose messages carry its place in every channel. */
    boolean tracksPositions() {
        return positions != null;
    }

    /** See {@link Subscriber#startAt}. */
    void startAt(Subscriber subscriber, long lastId) {
        if (positions != null) {
            positions.start(subscriber.index(), lastId);
        }
    }

    /** The Netty channel of its TCP connection. */
    public Channel socket() {
        return output.socket();
    }

    /** Runs {@code action} once the connection (or its HTTP/2 stream) is closed, however that happens. */
    public void whenClosed(Runnable action) {
        output.whenClosed(action);
    }

    /**
     * The subscriber's catch-up from history after {@code since} (before the connection is answered, so while frames
     * are still held): these go out first, and live messages of its channel up to the catch-up's last id are skipped,
     * held or not, as already sent. Its bytes count against what may be held until the socket opens.
     */
    synchronized void resume(Subscriber subscriber, CatchUp catchUp, long since) {
        subscriber.resumedThrough = catchUp.lastId();
        startAt(subscriber, since);
        if (held == null) { // closed already
            return;
        }
        List<Held> merged = new ArrayList<>();
        heldBytes = 0;
        for (CatchUp.Frame frame : catchUp.frames(subscriber.form(), subscriber.channelId(), since)) {
            merged.add(new Held(frame.bytes(), frame.id(), subscriber));
            heldBytes += frame.bytes().readableBytes();
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
        if (closing != null || !output.isOpen()) {
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
        if (!output.hasRoom()) {
            closeNow();
            return Subscriber.Delivery.EVICTED;
        }
        writeMessage(subscriber, frame.retainedDuplicate(), id);
        return Subscriber.Delivery.SENT;
    }

    /** Writes a message's frame (taking ownership), behind its id line on a multiplexed event stream. */
    private void writeMessage(Subscriber subscriber, ByteBuf frame, long id) {
        if (positions != null && id > 0) {
            output.write(positions.idLine(subscriber.index(), id));
        }
        output.write(frame);
    }

    /** See {@link Subscriber#writeAll}. */
    boolean writeAll(Subscriber subscriber, ByteBuf frames, long lowestId) {
        if (frames == null || positions != null || gracefulClose == null || closing != null || !output.isOpen()
                || lowestId <= subscriber.resumedThrough
                || output.room() <= frames.readableBytes()) { // room left after it: within the bound
            return false;
        }
        output.write(frames.retainedDuplicate());
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
            output.flush();
        } else if (!flushQueued) {
            flushQueued = true;
            socket().eventLoop().execute(deferredFlush);
        }
    }

    private void flushDeferred() {
        flushQueued = false;
        output.flush();
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

    /** A held frame, its message's id (0: a signal, not a message, or history off), and whose channel it is of. */
    private record Held(ByteBuf frame, long id, Subscriber owner) {
    }

    /**
     * The WebSocket is open (called on the connection's event loop): held frames go out first, then frames are written
     * directly. {@code gracefulClose} sends a close frame behind any queued output; it runs at once if the connection
     * was closed during the upgrade (the server began shutting down, or messages were lost).
     */
    public synchronized void opened(Consumer<Farewell> gracefulClose) {
        output.opened();
        if (held != null) {
            if (positions != null) { // a channel's held messages came after its start: resuming misses none of them
                held.stream().filter(frame -> frame.id() > 0).forEach(frame -> startAt(frame.owner(), frame.id() - 1));
            }
            held.forEach(frame -> writeMessage(frame.owner(), frame.frame(), frame.id()));
            output.flush();
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
        if (output.hasRoom() && closing == null && output.isOpen() && gracefulClose != null) {
            output.write(frame.retainedDuplicate());
            output.flush();
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
    public void closeAfterQueuedPasses(Farewell farewell) {
        try {
            socket().eventLoop().execute(() -> close(farewell));
        } catch (RejectedExecutionException loopStopped) {
            close(farewell);
        }
    }

    /**
     * Drops the connection (an HTTP/2 stream: resets it) at once, discarding queued output; see
     * {@link SubscriberOutput#closeNow}.
     */
    public void closeNow() {
        output.closeNow();
    }
}
