package io.wsc.channel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.wsc.config.WscConfig;
import io.wsc.metrics.WscMetrics;

/**
 * This node's index of channel -> local subscribers, with each channel's counters, and the local fan-out. Publishing
 * looks up one channel; nothing scans all connections.
 */
@Singleton
public class ChannelHub {

    private static final Logger LOG = Logger.getLogger(ChannelHub.class);
    private static final CompletionStage<Published> NO_ID_NO_RECIPIENT = CompletableFuture.completedStage(
            new Published(0, 0));

    private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder deliveredBytes = new LongAdder();
    private final LongAdder slowSubscriberDisconnects = new LongAdder();
    private final LongAdder silentSubscriberDisconnects = new LongAdder();
    private final WscMetrics metrics;
    private final HistoryLimits history;
    private final FanOutLimits fanOut;

    ChannelHub(WscMetrics metrics, WscConfig config) {
        this.metrics = metrics;
        this.history = new HistoryLimits(config);
        this.fanOut = new FanOutLimits(config);
    }

    public void join(Subscriber subscriber) {
        channels.compute(subscriber.channelId(), (id, state) -> {
            ChannelState s = state == null ? new ChannelState() : state;
            if (s.add(subscriber, loop -> new LoopGroup(loop, fanOut.backlog(loop), this::countEviction))
                    && subscriber.countsConnection()) { // a connection with several channels counts once
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
        ChannelState state = channels.get(channelId);
        return history.catchUp(state == null ? null : state.history(), since);
    }

    /**
     * The channel's newest {@code count} kept messages, for a subscriber that joined already and rewinds (see
     * {@link Subscriber#resume}); empty with history off.
     */
    public CatchUp latest(String channelId, int count) {
        ChannelState state = channels.get(channelId);
        return history.latest(state == null ? null : state.history(), count);
    }

    /** Removes the subscriber; returns how many local subscribers its channel has left. */
    public int leave(Subscriber subscriber) {
        int[] remaining = new int[1];
        // A channel nobody listens to and nobody published to is forgotten, so anonymous subscribers cannot grow the map.
        channels.computeIfPresent(subscriber.channelId(), (id, state) -> {
            if (state.remove(subscriber) && subscriber.countsConnection()) {
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

    /** This node's subscribers of a channel (a copy), e.g. to close them. */
    public List<Subscriber> subscribersOf(String channelId) {
        ChannelState state = channels.get(channelId);
        return state == null ? List.of() : state.subscribers();
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
     * True when a message of {@code bodyBytes} to the channel fits in what this node's fan-out may hold
     * ({@code wsc.fan-out.max-queued-bytes}); a publish that does not is refused before anything is kept or sent.
     */
    public boolean fanOutHasRoom(String channelId, int bodyBytes) {
        ChannelState state = channels.get(channelId);
        return state == null || fanOut.hasRoom(state, bodyBytes);
    }

    /**
     * Counts the message in its channel's stats (with history on, also gives it the channel's next id and keeps it)
     * and queues it for every local subscriber; completes with how many it was queued to, and its id. That is at once
     * while the event loops involved have little queued ({@code wsc.fan-out.queue-ahead}), otherwise once each of them
     * has written it. For the in-memory broker, where this node's numbers are the channel's.
     */
    public CompletionStage<Published> deliver(Message message) {
        ChannelState state = channels.compute(message.channelId(), (id, s) -> {
            ChannelState counted = s == null ? new ChannelState() : s;
            counted.messages.increment();
            return counted;
        });
        ByteBuf frame = state.groups.isEmpty() ? null : encode(message); // encoded outside the dispatch lock
        long id;
        Publication publication;
        int recipients;
        boolean answerNow;
        synchronized (state) {
            id = history.enabled() ? state.keep(message, history) : 0;
            answerNow = fanOut.answersAhead(state);
            recipients = state.size();
            publication = offer(state, message, id, frame);
        }
        if (publication == null) {
            return id == 0 ? NO_ID_NO_RECIPIENT : CompletableFuture.completedStage(new Published(0, id));
        }
        state.bytes.add((long) message.body().length * recipients);
        Published published = new Published(recipients, id);
        CompletionStage<Integer> written = start(publication);
        return answerNow ? CompletableFuture.completedStage(published) : written.thenApply(sent -> published);
    }

    /**
     * Sends the message to the local subscribers of its channel, if any, without keeping stats: for a broker that
     * counts cluster-wide itself (and keeps history, which gave the message its {@code id}; 0 with history off). A
     * channel without local subscribers is not tracked.
     */
    public void fanOut(Message message, long id) {
        ChannelState state = channels.get(message.channelId());
        if (state == null || state.groups.isEmpty()) {
            return;
        }
        ByteBuf frame = encode(message);
        Publication publication;
        synchronized (state) {
            publication = offer(state, message, id, frame);
        }
        if (publication != null) {
            start(publication);
        }
    }

    /**
     * Tells every local subscriber of the channel that the messages after id {@code since} (up to {@code next}, 0 when
     * unknown) were lost to this node, in order with the messages before and after: JSON and SSE subscribers get a gap
     * frame or event, raw subscribers are closed with {@link Farewell#MESSAGES_LOST}. Completes with how many were
     * closed.
     */
    public CompletionStage<Integer> signalLoss(String channelId, long since, long next) {
        ChannelState state = channels.get(channelId);
        if (state == null) {
            return CompletableFuture.completedStage(0);
        }
        Publication signal = Publication.lossSignal(channelId, since, next);
        synchronized (state) {
            state.groups.values().forEach(group -> group.offer(signal));
        }
        signal.loopDone(0);
        return signal.done;
    }

    /**
     * Under the channel's dispatch lock: hands the message to every loop with subscribers of the channel, in the
     * order of the lock, so every loop's queue holds the channel's messages in the same order. Null (and the frame
     * released) when the channel has no subscribers.
     */
    private static Publication offer(ChannelState state, Message message, long id, ByteBuf frame) {
        if (state.groups.isEmpty()) { // the last subscriber may have left since the frame was made
            if (frame != null) {
                frame.release();
            }
            return null;
        }
        Publication publication = new Publication(frame != null ? frame : encode(message), message, id);
        state.groups.values().forEach(group -> group.offer(publication));
        return publication;
    }

    /** The dispatcher is done: the publication completes once every loop it was offered to has written it. */
    private CompletionStage<Integer> start(Publication publication) {
        publication.done.thenAccept(recipients -> delivered(publication, recipients));
        publication.loopDone(0);
        return publication.done;
    }

    private static ByteBuf encode(Message message) {
        return Frames.encode(ByteBufAllocator.DEFAULT, message.body(), message.binary());
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
                    if (subscriber.countsConnection()) { // its connection's other channels share the one socket
                        dropped++;
                    }
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

    /** True when using all of these channels keeps this node within {@code maxChannels}. */
    public boolean admits(Collection<String> channelIds, OptionalInt maxChannels) {
        if (maxChannels.isEmpty()) {
            return true;
        }
        int unknown = 0;
        for (String id : channelIds) {
            if (!channels.containsKey(id)) {
                unknown++;
            }
        }
        return unknown == 0 || channels.size() + unknown <= maxChannels.getAsInt();
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
        return history.keptBytes();
    }

    /**
     * Drops kept messages past their ttl in every channel: a channel nobody publishes to or resumes from would
     * otherwise keep them (walks the index: for a periodic sweep, not per request).
     */
    public void expireHistory() {
        long now = System.nanoTime();
        for (ChannelState state : channels.values()) {
            ChannelHistory kept = state.history();
            if (kept != null) {
                kept.expireNow(now);
            }
        }
    }

    /** True when messages are kept and get ids ({@code wsc.history.size > 0}). */
    public boolean historyEnabled() {
        return history.enabled();
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

    /**
     * Some event loop holds more than {@code wsc.fan-out.max-queued-bytes} of messages not yet written: what this node
     * takes from elsewhere (the Redis link) should wait.
     */
    public boolean fanOutFull() {
        return fanOut.full();
    }

    /** Every loop has drained to half of {@code wsc.fan-out.max-queued-bytes}: see {@link #fanOutFull}. */
    public boolean fanOutDrained() {
        return fanOut.drained();
    }

    /** Message bytes queued for subscribers on every event loop and not yet written to their sockets. */
    public long fanOutQueuedBytes() {
        return fanOut.queuedBytes();
    }

    /** Publishes answered once written rather than once queued, as the fan-out was {@code queue-ahead} deep. */
    public long pacedPublishes() {
        return fanOut.paced();
    }

    /** Publishes refused because the fan-out held {@code max-queued-bytes} already. */
    public long fanOutRefusals() {
        return fanOut.refused();
    }

    public long slowSubscriberDisconnects() {
        return slowSubscriberDisconnects.sum();
    }

    public long silentSubscriberDisconnects() {
        return silentSubscriberDisconnects.sum();
    }
}
