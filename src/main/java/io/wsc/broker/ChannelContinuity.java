package io.wsc.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Response;
import io.wsc.channel.ChannelHub;
import io.wsc.metrics.WscMetrics;

/**
 * Keeps each channel's live messages whole on this node: every message carries its channel's sequence number, and a
 * node that may have missed some (its pub/sub link dropped, or a number was skipped) reads what it missed from Redis
 * before it delivers anything newer. With history on, the missed messages are delivered in order; whatever Redis no
 * longer holds (history off, trimmed, expired, or Redis lost its data) is signalled to the channel's subscribers
 * ({@link ChannelHub#signalLoss}). Nothing is delivered twice: a number at or below the last one delivered is dropped.
 * <p>
 * Each channel's state is only touched on one event loop, picked by channel, the one its live messages are handed to.
 */
final class ChannelContinuity {

    /** Reads what a channel missed after the message numbered {@code after} with {@code stamp}: {@link RedisScripts#RECOVER}. */
    interface MissedReader {
        CompletionStage<Response> read(String channelId, long after, long stamp);
    }

    /** Why a node may have missed messages of a channel: the label of the loss metrics. */
    enum Cause {
        LINK_LOST, SEQUENCE_HOLE, REDIS_RESET;

        String label() {
            return name().toLowerCase();
        }
    }

    private static final Logger LOG = Logger.getLogger(ChannelContinuity.class);
    /**
     * Live messages held per channel while a read of the missed ones is in flight or the link is down; beyond these
     * bounds they are dropped and read again from Redis (or signalled) instead.
     */
    private static final int MOST_HELD = 10_000;
    private static final long MOST_HELD_BYTES = 16L << 20;
    private static final long RETRY_MILLIS = 500;

    private final ChannelHub hub;
    private final Vertx vertx;
    private final WscMetrics metrics;
    /** Reads what a channel missed after a sequence number. */
    private final MissedReader recover;
    private final List<Executor> eventLoops = new ArrayList<>();
    private final ConcurrentHashMap<String, Track> tracks = new ConcurrentHashMap<>();
    /** Body bytes received from the link and not yet handed to the fan-out (queued for their channel's loop). */
    private final AtomicLong waitingBytes = new AtomicLong();

    ChannelContinuity(ChannelHub hub, Vertx vertx, WscMetrics metrics,
            MissedReader recover) {
        this.hub = hub;
        this.vertx = vertx;
        this.metrics = metrics;
        this.recover = recover;
        vertx.getDelegate().nettyEventLoopGroup().forEach(eventLoops::add);
    }

    /**
     * Starts following a channel; {@code baseline} is its sequence number read before this node subscribed to it, the
     * last one it may assume delivered if its link drops before the first live message. No effect if followed already.
     */
    void follow(String channelId, long baseline) {
        tracks.putIfAbsent(channelId, new Track(channelId, baseline));
    }

    boolean follows(String channelId) {
        return tracks.containsKey(channelId);
    }

    /** The node no longer subscribes to the channel. */
    void forget(String channelId) {
        tracks.remove(channelId);
    }

    /** A live message from pub/sub (any thread). */
    void received(RedisPayload.Received message) {
        String channelId = message.message().channelId();
        int bytes = message.message().body().length;
        waitingBytes.addAndGet(bytes);
        loopOf(channelId).execute(() -> {
            waitingBytes.addAndGet(-bytes); // from here the fan-out's backlog counts it
            Track track = tracks.get(channelId);
            if (track == null || message.seq() == 0) { // not followed (left meanwhile), or from an earlier version
                hub.fanOut(message.message(), message.id());
            } else {
                track.live(message);
            }
        });
    }

    /** Body bytes of messages received and still queued for their channel's loop, ahead of the fan-out. */
    long waitingBytes() {
        return waitingBytes.get();
    }

    /** The pub/sub link dropped: every channel may miss messages until it is subscribed again and has read them. */
    void linkLost() {
        tracks.values().forEach(track -> loopOf(track.channelId).execute(track::suspend));
    }

    /** The channel is subscribed again on a new link: read what it missed meanwhile. */
    void resubscribed(String channelId) {
        Track track = tracks.get(channelId);
        if (track != null) {
            loopOf(channelId).execute(track::resume);
        }
    }

    private Executor loopOf(String channelId) {
        return eventLoops.get(Math.floorMod(channelId.hashCode(), eventLoops.size()));
    }

    /** One channel's place in its sequence; confined to the channel's event loop. */
    private final class Track {

        final String channelId;
        /** The sequence number of the last message delivered; -1 before the first live one, which sets it. */
        long last = -1;
        /** The id of the last message delivered (history on), for the gap signal's {@code since}. */
        long lastId;
        /** The stamp of the last message delivered: a failover may give its number to another one. */
        long lastStamp;
        long baseline;
        /** The link dropped and the channel is not subscribed again yet. */
        boolean suspended;
        boolean reading;
        /** What was read may be incomplete already (the link dropped again, or held messages were dropped). */
        boolean readAgain;
        Cause readCause;
        /** Live messages that wait for a read in flight or for a new link; null while delivering directly. */
        List<RedisPayload.Received> held;
        long heldBytes;

        Track(String channelId, long baseline) {
            this.channelId = channelId;
            this.baseline = baseline;
        }

        void live(RedisPayload.Received message) {
            if (held == null) {
                accept(message);
            } else if (held.size() < MOST_HELD && heldBytes < MOST_HELD_BYTES) {
                held.add(message);
                heldBytes += message.message().body().length;
            } else { // Redis still has them (or will say they are lost): read them again rather than hold more
                held.clear();
                heldBytes = 0;
                readAgain = true;
            }
        }

        /** Delivers the next message in sequence, drops one already delivered, and reads what a skipped number hides. */
        private void accept(RedisPayload.Received message) {
            if (last >= 0 && message.seq() <= last) {
                return;
            }
            if (last < 0 || message.seq() == last + 1) {
                deliver(message);
                return;
            }
            held = new ArrayList<>();
            live(message);
            read(Cause.SEQUENCE_HOLE);
        }

        private void deliver(RedisPayload.Received message) {
            hub.fanOut(message.message(), message.id());
            last = message.seq();
            lastStamp = message.stamp();
            if (message.id() > 0) {
                lastId = message.id();
            }
        }

        void suspend() {
            suspended = true;
            if (held == null) {
                held = new ArrayList<>();
            }
        }

        void resume() {
            if (!suspended) {
                return;
            }
            suspended = false;
            if (reading) {
                readAgain = true;
            } else {
                read(Cause.LINK_LOST);
            }
        }

        private void read(Cause cause) {
            reading = true;
            readCause = cause;
            long after = last >= 0 ? last : baseline;
            long stamp = last >= 0 ? lastStamp : 0;
            recover.read(channelId, after, stamp).whenComplete((answer, failure) -> loopOf(channelId).execute(() -> {
                if (tracks.get(channelId) != this) {
                    return; // forgotten meanwhile
                }
                if (failure != null) {
                    LOG.debugf("Reading what channel %s missed failed (%s); trying again", channelId, failure);
                    vertx.setTimer(RETRY_MILLIS, id -> loopOf(channelId).execute(() -> read(cause)));
                    return;
                }
                recovered(after, answer);
            }));
        }

        /**
         * Delivers what was read, after a loss signal when it does not follow on from {@code after}: the first number
         * expected is {@code after + 1}, or the sequence's first when there was none before ({@code after} 0).
         */
        private void recovered(long after, Response answer) {
            reading = false;
            long current = Long.parseLong(answer.get(0).toString());
            long start = Long.parseLong(answer.get(1).toString());
            boolean forked = answer.get(2).toInteger() == 1;
            if (current < after) { // Redis went back to an older copy of its data: its numbers come again
                signalLoss(Cause.REDIS_RESET, 0);
                last = -1; // the next live message continues the sequence
                baseline = current;
            } else {
                int count = (answer.size() - 3) / 4;
                long first = count > 0 ? Long.parseLong(answer.get(3).toString()) : 0;
                long next = count > 0 ? Long.parseLong(answer.get(4).toString()) : 0;
                if (forked || after > 0 && after < start) { // a replica took over without the last ones, or a new sequence
                    signalLoss(Cause.REDIS_RESET, next);
                } else if (current > after && first != (after == 0 ? start : after + 1)) {
                    signalLoss(readCause, next);
                }
                for (int i = 3; i < answer.size(); i += 4) {
                    deliver(new RedisPayload.Received(RedisPayload.decode(channelId, answer.get(i + 2).toBytes()),
                            Long.parseLong(answer.get(i).toString()), Long.parseLong(answer.get(i + 1).toString()),
                            Long.parseLong(answer.get(i + 3).toString())));
                }
                metrics.recovered(count);
                // No sequence yet: then no message was published before this read, and the first live one is next.
                last = current == 0 ? -1 : Math.max(after, current);
            }
            if (readAgain) {
                readAgain = false;
                read(readCause);
            } else if (!suspended) {
                List<RedisPayload.Received> waiting = held;
                held = null;
                heldBytes = 0;
                waiting.forEach(this::live); // a hole among them holds the rest again
            }
        }

        private void signalLoss(Cause cause, long next) {
            LOG.debugf("Channel %s: messages after %d lost to this node (%s)", channelId, lastId, cause);
            hub.signalLoss(channelId, lastId, next).thenAccept(closed -> metrics.lossSignalled(cause.label(), closed));
        }
    }
}
