package io.wsc.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Singleton;

import io.netty.buffer.ByteBuf;
import io.wsc.config.WscConfig;
import io.wsc.presence.ClientIdentity;
import io.wsc.presence.PresenceList;

/**
 * The subscribers of this node that asked for their channels' presence events ({@code ?presence=events}), and the
 * delivery of those events: each is encoded once per form and written on each watcher's own event loop, beside
 * (not inside) the fan-out of messages, so channels without watchers pay nothing. Events of a channel go out in the
 * order {@link #changed} is called for them.
 * <p>
 * A new watcher first gets a snapshot of who is there ({@link #snapshot}), read after it started watching; the events
 * that reach it before the snapshot is written wait behind it. Applied in order on top of the snapshot, they leave the
 * watcher with the channel's state, whichever of them the snapshot already reflects.
 * <p>
 * Bursts are bounded per channel: at most {@code wsc.presence.max-events-per-second} events in each one-second
 * window; past it the watchers get one {@code presence_gap} event instead of the rest of that second's, telling them to
 * read the channel's presence again ({@code GET ?presence}).
 */
@Singleton
public class PresenceFeed {

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ConcurrentHashMap<String, Watchers> channels = new ConcurrentHashMap<>();
    /** Watchers whose snapshot is not written yet -> their events meanwhile (each list used on its watcher's loop). */
    private final ConcurrentHashMap<Subscriber, List<ByteBuf>> awaitingSnapshot = new ConcurrentHashMap<>();
    private final int maxListed;
    private final int maxEventsPerSecond;
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    /** One channel's watchers and its burst window (guarded by this). */
    private static final class Watchers {
        final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
        long windowStart = System.nanoTime();
        int inWindow;
        boolean gapSent;
    }

    PresenceFeed(WscConfig config) {
        this.maxEventsPerSecond = config.presence().maxEventsPerSecond();
        this.maxListed = config.presence().max();
    }

    /** The subscriber takes its channel's presence events from now on; returns the channel's watchers here now. */
    public int watch(Subscriber subscriber) {
        if (subscriber.form() == FrameForm.RAW) {
            throw new IllegalArgumentException("Raw frames cannot carry presence events");
        }
        awaitingSnapshot.put(subscriber, new ArrayList<>());
        int[] size = new int[1];
        channels.compute(subscriber.channelId(), (id, watchers) -> {
            Watchers all = watchers == null ? new Watchers() : watchers;
            all.subscribers.add(subscriber);
            size[0] = all.subscribers.size();
            return all;
        });
        return size[0];
    }

    /** Most clients a snapshot lists ({@code wsc.presence.max}). */
    public int maxListed() {
        return maxListed;
    }

    /**
     * The watcher's snapshot, {@code list} read after it started watching: written (on its loop) ahead of the events
     * that reached it meanwhile, which then follow.
     */
    public void snapshot(Subscriber subscriber, PresenceList list) {
        ByteBuf frame = subscriber.form().presence(JsonFrames.presenceSnapshot(subscriber.channelId(), list));
        try {
            subscriber.socket().eventLoop().execute(() -> {
                List<ByteBuf> waiting = awaitingSnapshot.remove(subscriber);
                if (waiting == null) { // it stopped watching
                    frame.release();
                    return;
                }
                write(subscriber, frame);
                waiting.forEach(event -> write(subscriber, event));
            });
        } catch (RejectedExecutionException loopStopped) {
            frame.release();
        }
    }

    /** Stops the subscriber's events; returns how many watchers its channel has left here. */
    public int unwatch(Subscriber subscriber) {
        List<ByteBuf> waiting = awaitingSnapshot.remove(subscriber);
        if (waiting != null) {
            waiting.forEach(ByteBuf::release);
        }
        int[] size = new int[1];
        channels.computeIfPresent(subscriber.channelId(), (id, all) -> {
            all.subscribers.remove(subscriber);
            size[0] = all.subscribers.size();
            return size[0] == 0 ? null : all;
        });
        return size[0];
    }

    /** True when some subscriber here watches the channel. */
    public boolean watched(String channelId) {
        return channels.containsKey(channelId);
    }

    /** The channels watched here. */
    public List<String> watchedChannels() {
        return List.copyOf(channels.keySet());
    }

    /** The client joined the channel (its first connection) or left it (its last), for the channel's watchers. */
    public void changed(String channelId, boolean joined, ClientIdentity client) {
        Watchers watchers = channels.get(channelId);
        if (watchers == null) {
            return;
        }
        synchronized (watchers) {
            long now = System.nanoTime();
            if (now - watchers.windowStart >= WINDOW_NANOS) {
                watchers.windowStart = now;
                watchers.inWindow = 0;
                watchers.gapSent = false;
            }
            if (watchers.inWindow < maxEventsPerSecond) {
                watchers.inWindow++;
                send(watchers, JsonFrames.presence(channelId, joined, client));
                sent.increment();
            } else {
                dropped.increment();
                if (!watchers.gapSent) {
                    watchers.gapSent = true;
                    send(watchers, JsonFrames.presenceGap(channelId));
                }
            }
        }
    }

    /** Events of the channel may have been missed here (a lost link to the broker): its watchers are told so. */
    public void gap(String channelId) {
        Watchers watchers = channels.get(channelId);
        if (watchers != null) {
            synchronized (watchers) {
                send(watchers, JsonFrames.presenceGap(channelId));
            }
        }
    }

    /** Presence events written to watchers' queues (each once for all its channel's watchers). */
    public long sentEvents() {
        return sent.sum();
    }

    /** Presence events left out by the burst bound. */
    public long droppedEvents() {
        return dropped.sum();
    }

    private void send(Watchers watchers, byte[] json) {
        ByteBuf[] forms = new ByteBuf[FrameForm.COUNT];
        try {
            for (Subscriber subscriber : watchers.subscribers) {
                int form = subscriber.form().ordinal();
                if (forms[form] == null) {
                    forms[form] = subscriber.form().presence(json);
                }
                ByteBuf frame = forms[form].retain();
                try {
                    subscriber.socket().eventLoop().execute(() -> writeOrWait(subscriber, frame));
                } catch (RejectedExecutionException loopStopped) {
                    frame.release();
                }
            }
        } finally {
            for (ByteBuf form : forms) {
                if (form != null) {
                    form.release();
                }
            }
        }
    }

    /** On the subscriber's loop: written, or kept behind its snapshot while that is still being read. */
    private void writeOrWait(Subscriber subscriber, ByteBuf frame) {
        List<ByteBuf> waiting = awaitingSnapshot.get(subscriber);
        if (waiting != null) {
            waiting.add(frame);
        } else {
            write(subscriber, frame);
        }
    }

    /**
     * On the subscriber's loop, as the fan-out writes: held while its connection is being answered, and a connection
     * past its pending allowance is dropped, never queued for.
     */
    private static void write(Subscriber subscriber, ByteBuf frame) {
        try {
            subscriber.write(frame, 0);
            subscriber.flush();
        } finally {
            frame.release();
        }
    }
}
