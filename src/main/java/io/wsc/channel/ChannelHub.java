package io.wsc.channel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.wsc.config.WscConfig;
import io.wsc.metrics.WscMetrics;

/**
 * This node's index of channel -> local subscribers, with each channel's counters, and the local fan-out. Publishing
 * looks up one channel; nothing scans all connections.
 */
@ApplicationScoped
public class ChannelHub {

    private static final Logger LOG = Logger.getLogger(ChannelHub.class);
    private static final CompletionStage<Integer> NONE = CompletableFuture.completedStage(0);
    private static final Published NO_HISTORY_NO_RECIPIENT = new Published(0, 0);

    private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder deliveredBytes = new LongAdder();
    private final LongAdder slowSubscriberDisconnects = new LongAdder();
    private final LongAdder silentSubscriberDisconnects = new LongAdder();
    private final LongAdder historyBytes = new LongAdder();
    private final WscMetrics metrics;
    /** Messages kept per channel; 0: history off, nothing kept or stamped. */
    private final int historySize;
    private final long historyTtlNanos;
    /** Body bytes one resuming subscriber's catch-up may bring, within what a subscriber may have pending. */
    private final long catchUpBytes;

    ChannelHub(WscMetrics metrics, WscConfig config) {
        this.metrics = metrics;
        this.historySize = Math.max(0, config.history().size());
        this.historyTtlNanos = config.history().ttl().toNanos();
        this.catchUpBytes = CatchUp.byteBudget(config.maxPendingBytes());
    }

    public void join(Subscriber subscriber) {
        channels.compute(subscriber.channelId(), (id, state) -> {
            ChannelState s = state == null ? new ChannelState() : state;
            if (s.add(subscriber, this::countEviction)) {
                connections.incrementAndGet();
            }
            return s;
        });
    }

    /**
     * The kept messages of the channel after {@code since}, at most a catch-up's worth of bytes, for a subscriber that
     * joined already (see {@link Subscriber#resume}: live copies of what this returns are skipped).
     */
    public CatchUp catchUp(String channelId, long since) {
        if (historySize == 0) {
            return CatchUp.historyOff();
        }
        ChannelState state = channels.get(channelId);
        ChannelHistory history;
        if (state == null) {
            return CatchUp.nothingKept(since);
        }
        synchronized (state) {
            history = state.history;
        }
        return history == null ? CatchUp.nothingKept(since) : history.since(since, System.nanoTime(), catchUpBytes);
    }

    /** Removes the subscriber; returns how many local subscribers its channel has left. */
    public int leave(Subscriber subscriber) {
        int[] remaining = new int[1];
        // A channel nobody listens to and nobody published to is forgotten, so anonymous subscribers cannot grow the map.
        channels.computeIfPresent(subscriber.channelId(), (id, state) -> {
            if (state.remove(subscriber)) {
                connections.decrementAndGet();
            }
            remaining[0] = state.size();
            return remaining[0] == 0 && state.messages.sum() == 0 ? null : state;
        });
        return remaining[0];
    }

    /** This node's subscribers of a channel. */
    public int localSubscribers(String channelId) {
        ChannelState state = channels.get(channelId);
        return state == null ? 0 : state.size();
    }

    /** Channels with local subscribers, and how many each has (for a broker that reports them). */
    public Map<String, Integer> localSubscriberCounts() {
        Map<String, Integer> counts = new HashMap<>();
        channels.forEach((id, state) -> {
            int size = state.size();
            if (size > 0) {
                counts.put(id, size);
            }
        });
        return counts;
    }

    /**
     * Counts the message in its channel's stats (with history on, also gives it the channel's next id and keeps it)
     * and sends it to every local subscriber; completes with how many it was written to, once every event loop
     * involved has written it, and its id. For the in-memory broker, where this node's numbers
     * are the channel's numbers.
     */
    public CompletionStage<Published> deliver(Message message) {
        ChannelState state = channels.compute(message.channelId(), (id, s) -> {
            ChannelState counted = s == null ? new ChannelState() : s;
            counted.messages.increment();
            return counted;
        });
        if (historySize > 0) {
            return sendAndKeep(state, message);
        }
        return send(state, message, 0).thenApply(recipients -> {
            state.bytes.add((long) message.body().length * recipients);
            return recipients == 0 ? NO_HISTORY_NO_RECIPIENT : new Published(recipients, 0);
        });
    }

    /** With history on: stamps the message with the channel's next id and keeps it, in dispatch order. */
    private CompletionStage<Published> sendAndKeep(ChannelState state, Message message) {
        ByteBuf frame = state.groups.isEmpty() ? null : encode(message);
        Publication publication = null;
        long id;
        synchronized (state) {
            if (state.history == null) {
                state.history = new ChannelHistory(historySize, historyTtlNanos, historyBytes);
            }
            id = state.history.append(message.body(), message.binary(), System.nanoTime());
            if (!state.groups.isEmpty()) { // a subscriber may have joined since the check above
                publication = new Publication(frame != null ? frame : encode(message), message, id);
                frame = null;
                for (LoopGroup group : state.groups.values()) {
                    group.offer(publication);
                }
            }
        }
        if (frame != null) { // the last subscriber left meanwhile
            frame.release();
        }
        if (publication == null) {
            return CompletableFuture.completedStage(new Published(0, id));
        }
        Publication sent = publication;
        sent.done.thenAccept(recipients -> delivered(sent, recipients));
        sent.loopDone(0);
        long messageId = id;
        return sent.done.thenApply(recipients -> {
            state.bytes.add((long) message.body().length * recipients);
            return new Published(recipients, messageId);
        });
    }

    private static ByteBuf encode(Message message) {
        return Frames.encode(ByteBufAllocator.DEFAULT, message.body(), message.binary());
    }

    /**
     * Sends the message to the local subscribers of its channel, if any, without keeping stats: for a broker that
     * counts cluster-wide itself (and keeps history, which gave the message its {@code id}; 0 with history off). A
     * channel without local subscribers is not tracked.
     */
    public void fanOut(Message message, long id) {
        ChannelState state = channels.get(message.channelId());
        if (state != null) {
            send(state, message, id);
        }
    }

    private CompletionStage<Integer> send(ChannelState state, Message message, long id) {
        if (state.groups.isEmpty()) {
            return NONE;
        }
        Publication publication = new Publication(encode(message), message, id);
        publication.done.thenAccept(recipients -> delivered(publication, recipients));
        // One dispatcher at a time per channel: every loop's queue then holds the channel's messages in the same order.
        synchronized (state) {
            state.groups.values().forEach(group -> group.offer(publication));
        }
        publication.loopDone(0);
        return publication.done;
    }

    private void delivered(Publication publication, int recipients) {
        if (recipients > 0) {
            deliveries.add(recipients);
            deliveredBytes.add((long) publication.bodyLength * recipients);
            metrics.flushed(publication.startNanos);
        }
    }

    private void countEviction() {
        slowSubscriberDisconnects.increment();
        LOG.debug("Disconnected a slow subscriber");
    }

    public ChannelStats stats(String channelId) {
        ChannelState state = channels.get(channelId);
        return state == null ? ChannelStats.EMPTY
                : new ChannelStats(state.size(), state.messages.sum(), state.bytes.sum());
    }

    /**
     * Drops every subscriber that has answered no ping for {@code silenceNanos}: a browser that vanished without
     * closing (network gone, laptop shut) would otherwise be counted and written to until TCP gives up, minutes later.
     */
    public int dropSilentSubscribers(long silenceNanos) {
        long now = System.nanoTime();
        int dropped = 0;
        for (ChannelState state : channels.values()) {
            for (Subscriber subscriber : state.subscribers()) {
                if (subscriber.silentSince(now, silenceNanos)) {
                    subscriber.closeNow();
                    dropped++;
                }
            }
        }
        silentSubscriberDisconnects.add(dropped);
        return dropped;
    }

    /** Channels this node knows: those with local subscribers and those published to. */
    public int channelCount() {
        return channels.size();
    }

    /** True when using the channel keeps this node within {@code maxChannels} (a channel it knows adds none). */
    public boolean admits(String channelId, OptionalInt maxChannels) {
        return maxChannels.isEmpty() || channels.containsKey(channelId) || channels.size() < maxChannels.getAsInt();
    }

    /** Channels with at least one local subscriber (walks the index: for metrics scrapes, not per request). */
    public int activeChannelCount() {
        int active = 0;
        for (ChannelState state : channels.values()) {
            if (state.size() > 0) {
                active++;
            }
        }
        return active;
    }

    public int connectionCount() {
        return connections.get();
    }

    /** Message bytes kept for resuming subscribers, across channels. */
    public long historyBytes() {
        return historyBytes.sum();
    }

    /**
     * Drops kept messages past their ttl in every channel: a channel nobody publishes to or resumes from would
     * otherwise keep them (walks the index: for a periodic sweep, not per request).
     */
    public void expireHistory() {
        long now = System.nanoTime();
        for (ChannelState state : channels.values()) {
            ChannelHistory history;
            synchronized (state) {
                history = state.history;
            }
            if (history != null) {
                history.expireNow(now);
            }
        }
    }

    /** True when messages are kept and get ids ({@code wsc.history.size > 0}). */
    public boolean historyEnabled() {
        return historySize > 0;
    }

    public long deliveries() {
        return deliveries.sum();
    }

    public long deliveredBytes() {
        return deliveredBytes.sum();
    }

    /** Every local subscriber, for shutdown. */
    public List<Subscriber> subscribers() {
        List<Subscriber> all = new ArrayList<>();
        channels.values().forEach(state -> all.addAll(state.subscribers()));
        return all;
    }

    public long slowSubscriberDisconnects() {
        return slowSubscriberDisconnects.sum();
    }

    public long silentSubscriberDisconnects() {
        return silentSubscriberDisconnects.sum();
    }

    /** A channel's subscribers, grouped by the event loop their sockets live on, and its counters. */
    private static final class ChannelState {
        /** At most one group per event loop; changed only inside the index's compute calls. */
        final Map<EventLoop, LoopGroup> groups = new ConcurrentHashMap<>(4);
        final LongAdder messages = new LongAdder();
        final LongAdder bytes = new LongAdder();
        /** Kept messages (history on, once published to); guarded by this state's lock, the dispatch lock. */
        ChannelHistory history;

        boolean add(Subscriber subscriber, Runnable onEviction) {
            return groups.computeIfAbsent(subscriber.socket().eventLoop(), loop -> new LoopGroup(loop, onEviction))
                    .add(subscriber);
        }

        boolean remove(Subscriber subscriber) {
            EventLoop loop = subscriber.socket().eventLoop();
            LoopGroup group = groups.get(loop);
            if (group == null || !group.remove(subscriber)) {
                return false;
            }
            if (group.size() == 0) {
                groups.remove(loop); // messages it still has queued are drained to no one
            }
            return true;
        }

        int size() {
            int size = 0;
            for (LoopGroup group : groups.values()) {
                size += group.size();
            }
            return size;
        }

        List<Subscriber> subscribers() {
            List<Subscriber> all = new ArrayList<>();
            groups.values().forEach(group -> all.addAll(group.subscribers()));
            return all;
        }
    }
}
