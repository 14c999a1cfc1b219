package io.wsc.channel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.wsc.metrics.WscMetrics;

/**
 * This node's index of channel -> local subscribers, with each channel's counters, and the local fan-out. Publishing
 * looks up one channel; nothing scans all connections.
 */
@ApplicationScoped
public class ChannelHub {

    private static final Logger LOG = Logger.getLogger(ChannelHub.class);

    private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder deliveredBytes = new LongAdder();
    private final LongAdder slowSubscriberDisconnects = new LongAdder();
    private final LongAdder silentSubscriberDisconnects = new LongAdder();
    private final WscMetrics metrics;

    ChannelHub(WscMetrics metrics) {
        this.metrics = metrics;
    }

    public void join(Subscriber subscriber) {
        channels.compute(subscriber.channelId(), (id, state) -> {
            ChannelState s = state == null ? new ChannelState() : state;
            if (s.subscribers.add(subscriber)) {
                connections.incrementAndGet();
            }
            return s;
        });
    }

    /** Removes the subscriber; returns how many local subscribers its channel has left. */
    public int leave(Subscriber subscriber) {
        int[] remaining = new int[1];
        // A channel nobody listens to and nobody published to is forgotten, so anonymous subscribers cannot grow the map.
        channels.computeIfPresent(subscriber.channelId(), (id, state) -> {
            if (state.subscribers.remove(subscriber)) {
                connections.decrementAndGet();
            }
            remaining[0] = state.subscribers.size();
            return state.subscribers.isEmpty() && state.messages.sum() == 0 ? null : state;
        });
        return remaining[0];
    }

    /** This node's subscribers of a channel. */
    public int localSubscribers(String channelId) {
        ChannelState state = channels.get(channelId);
        return state == null ? 0 : state.subscribers.size();
    }

    /** Channels with local subscribers, and how many each has (for a broker that reports them). */
    public Map<String, Integer> localSubscriberCounts() {
        Map<String, Integer> counts = new HashMap<>();
        channels.forEach((id, state) -> {
            int size = state.subscribers.size();
            if (size > 0) {
                counts.put(id, size);
            }
        });
        return counts;
    }

    /**
     * Counts the message in its channel's stats and sends it to every local subscriber; returns how many it was sent
     * to. For the in-memory broker, where this node's numbers are the channel's numbers.
     */
    public int deliver(Message message) {
        ChannelState state = channels.compute(message.channelId(), (id, s) -> {
            ChannelState counted = s == null ? new ChannelState() : s;
            counted.messages.increment();
            return counted;
        });
        int recipients = send(state, message);
        state.bytes.add((long) message.body().length * recipients);
        return recipients;
    }

    /**
     * Sends the message to the local subscribers of its channel, if any, without keeping stats: for a broker that
     * counts cluster-wide itself. A channel without local subscribers is not tracked.
     */
    public int fanOut(Message message) {
        ChannelState state = channels.get(message.channelId());
        return state == null ? 0 : send(state, message);
    }

    private int send(ChannelState state, Message message) {
        int recipients = 0;
        if (!state.subscribers.isEmpty()) {
            long start = System.nanoTime();
            List<Executor> eventLoops = new ArrayList<>(4);
            ByteBuf frame = Frames.encode(ByteBufAllocator.DEFAULT, message.body(), message.binary());
            try {
                for (Subscriber subscriber : state.subscribers) {
                    switch (subscriber.send(frame)) {
                        case SENT -> {
                            recipients++;
                            addEventLoop(eventLoops, subscriber);
                        }
                        case EVICTED -> {
                            slowSubscriberDisconnects.increment();
                            LOG.debugf("Disconnected a slow subscriber of %s", message.channelId());
                        }
                        case CLOSED -> {
                        }
                    }
                }
            } finally {
                frame.release();
            }
            if (recipients > 0) {
                metrics.timeFlush(start, eventLoops);
            }
        }
        deliveries.add(recipients);
        deliveredBytes.add((long) message.body().length * recipients);
        return recipients;
    }

    /** Event loops are few (two per core): a list with identity checks beats a set here. */
    private static void addEventLoop(List<Executor> eventLoops, Subscriber subscriber) {
        Executor loop = subscriber.socket().eventLoop();
        for (Executor known : eventLoops) {
            if (known == loop) {
                return;
            }
        }
        eventLoops.add(loop);
    }

    public ChannelStats stats(String channelId) {
        ChannelState state = channels.get(channelId);
        return state == null ? ChannelStats.EMPTY
                : new ChannelStats(state.subscribers.size(), state.messages.sum(), state.bytes.sum());
    }

    /**
     * Drops every subscriber that has answered no ping for {@code silenceNanos}: a browser that vanished without
     * closing (network gone, laptop shut) would otherwise be counted and written to until TCP gives up, minutes later.
     */
    public int dropSilentSubscribers(long silenceNanos) {
        long now = System.nanoTime();
        int dropped = 0;
        for (ChannelState state : channels.values()) {
            for (Subscriber subscriber : state.subscribers) {
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
            if (!state.subscribers.isEmpty()) {
                active++;
            }
        }
        return active;
    }

    public int connectionCount() {
        return connections.get();
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
        channels.values().forEach(state -> all.addAll(state.subscribers));
        return all;
    }

    public long slowSubscriberDisconnects() {
        return slowSubscriberDisconnects.sum();
    }

    public long silentSubscriberDisconnects() {
        return silentSubscriberDisconnects.sum();
    }

    private static final class ChannelState {
        final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        final LongAdder messages = new LongAdder();
        final LongAdder bytes = new LongAdder();
    }
}
