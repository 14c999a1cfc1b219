package io.wsc.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import io.netty.channel.EventLoop;

/**
 * One channel in the hub's index: its subscribers, grouped by the event loop their sockets live on, its counters, and
 * its history when kept. Its lock is the channel's dispatch lock: messages are handed to the loops (and given ids) one
 * at a time, so every loop's queue holds them in the same order.
 */
final class ChannelState {

    /** At most one group per event loop; changed only inside the index's compute calls. */
    final Map<EventLoop, LoopGroup> groups = new ConcurrentHashMap<>(4);
    final LongAdder messages = new LongAdder();
    final LongAdder bytes = new LongAdder();
    /** Kept messages (history on, once published to); guarded by this. */
    private ChannelHistory history;

    boolean add(Subscriber subscriber, Function<EventLoop, LoopGroup> newGroup) {
        return groups.computeIfAbsent(subscriber.socket().eventLoop(), newGroup).add(subscriber);
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

    /** Keeps the message and returns its id; called under this state's lock, where it is dispatched. */
    long keep(Message message, HistoryLimits limits) {
        if (history == null) {
            history = limits.newHistory();
        }
        return history.append(message.body(), message.binary(), System.nanoTime());
    }

    /** Its history, or null while none was made. */
    synchronized ChannelHistory history() {
        return history;
    }
}
