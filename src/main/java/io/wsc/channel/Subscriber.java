package io.wsc.channel;

import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * One channel's subscription on a {@link SubscriberConnection}: a WebSocket, or an HTTP response streaming events
 * ({@link FrameForm#SSE}). A connection that subscribed to several channels has one subscriber per channel, each in
 * its channel's index like any other; what they share (the socket and its pending-output bound, the frames held
 * during the upgrade, the close) is the connection's.
 */
public final class Subscriber {

    private final String channelId;
    private final FrameForm form;
    private final SubscriberConnection connection;
    /** Its place among its connection's channels, in the order the URL names them; 0 counts the connection once. */
    private final int index;
    /** Messages up to this id came from history when it joined ({@link #resume}); live copies of them are skipped. */
    volatile long resumedThrough;

    /**
     * A connection with this one channel.
     *
     * @param socket the connection's Netty channel (being upgraded to WebSocket, or answering an event stream)
     * @param maxPendingBytes unsent output allowed before {@link #write} gives up on this subscriber
     * @param form how it takes messages: raw or JSON WebSocket frames, or events of an HTTP event stream
     */
    public Subscriber(String channelId, Channel socket, int maxPendingBytes, FrameForm form) {
        this(channelId, new SubscriberConnection(socket, maxPendingBytes, 1), form, 0);
    }

    /** One of the channels of {@code connection}, the {@code index}th its URL names (0: the one that counts it). */
    public Subscriber(String channelId, SubscriberConnection connection, FrameForm form, int index) {
        this.channelId = channelId;
        this.connection = connection;
        this.form = form;
        this.index = index;
    }

    public String channelId() {
        return channelId;
    }

    FrameForm form() {
        return form;
    }

    public SubscriberConnection connection() {
        return connection;
    }

    /** True for the subscriber that stands for its connection in connection counts. */
    boolean countsConnection() {
        return index == 0;
    }

    int index() {
        return index;
    }

    /**
     * Its catch-up from history after {@code since} (before the upgrade or stream is answered, so while frames are
     * still held): these go out first, and live messages up to the catch-up's last id are skipped, held or not, as
     * already sent. Its bytes count against what its connection may hold until the socket opens. A raw subscriber
     * only rewinds: its frames cannot say that something is missing.
     */
    public void resume(CatchUp catchUp, long since) {
        if (form == FrameForm.RAW && catchUp.gap()) {
            throw new IllegalStateException("A raw subscriber cannot be told of a gap: its frames carry no ids");
        }
        connection.resume(this, catchUp, since);
    }

    /** True on a multiplexed event stream, whose messages carry its place in every channel ({@link #startAt}). */
    public boolean tracksPosition() {
        return connection.tracksPositions();
    }

    /**
     * Where its channel starts on such a stream when it neither resumes nor rewinds: the channel's last id, read after
     * it joined, so a reconnect before its first message resumes after it (a message held since the join with a
     * lower id lowers it).
     */
    public void startAt(long lastId) {
        connection.startAt(this, lastId);
    }

    /** The connection's Netty channel. */
    public Channel socket() {
        return connection.socket();
    }

    /**
     * Writes a share of {@code frame} (an encoded frame the caller keeps owning) without flushing it; called on the
     * socket's event loop, followed by {@link #flush}. A connection with more than its allowance pending is dropped at
     * once (a close frame would wait behind its queue).
     */
    Delivery write(ByteBuf frame, long id) {
        return connection.write(this, frame, id);
    }

    /**
     * Writes a share of {@code frames} (a batch's frames back to back, which the caller keeps owning) without flushing
     * it, when this subscriber takes all of them: open, none of them sent already by its catch-up (ids from
     * {@code lowestId} up), and room for all within its connection's pending allowance. False, writing nothing,
     * otherwise (or for a null batch): the caller then writes them one by one with {@link #write}, which holds, skips
     * or drops exactly.
     */
    boolean writeAll(ByteBuf frames, long lowestId) {
        return connection.writeAll(this, frames, lowestId);
    }

    /** Sends what {@link #write} queued; frames held during the upgrade wait for the connection to open. */
    void flush() {
        connection.flush();
    }

    enum Delivery {
        /** Written (or held). */
        SENT,
        /** Its catch-up had it. */
        SKIPPED,
        CLOSED, EVICTED
    }

    /** See {@link SubscriberConnection#opened}. */
    public void opened(Consumer<Farewell> gracefulClose) {
        connection.opened(gracefulClose);
    }

    /** See {@link SubscriberConnection#discardHeld}. */
    public void discardHeld() {
        connection.discardHeld();
    }

    /**
     * True when the peer has answered no ping since {@code nowNanos - silenceNanos}. Never for an event stream: HTTP has
     * no pings to answer; its heartbeat finds a vanished peer instead (the write fails and the connection closes).
     */
    boolean silentSince(long nowNanos, long silenceNanos) {
        return form != FrameForm.SSE && form != FrameForm.MULTIPLEXED_SSE
                && connection.silentSince(nowNanos, silenceNanos);
    }

    /**
     * Sends a close frame after what is queued (now, or as soon as the socket is open); used on shutdown. It closes
     * behind the fan-out passes already queued on the connection's loop, so a message acknowledged before the shutdown
     * still reaches the subscriber ahead of the close.
     */
    public void closeGracefully() {
        connection.closeAfterQueuedPasses(Farewell.SHUTDOWN);
    }

    /** Sends its connection a close frame with the farewell's code after what is queued; once per connection. */
    void close(Farewell farewell) {
        connection.close(farewell);
    }

    /** Drops its connection at once, discarding queued output (see {@link SubscriberConnection#closeNow}). */
    public void closeNow() {
        connection.closeNow();
    }
}
