package io.wsc.channel;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.EventLoop;
import io.wsc.config.WscConfig;

/**
 * How far publishes may run ahead of the fan-out ({@code wsc.fan-out.*}), with each event loop's backlog. A publish is
 * answered as soon as its message is queued while every loop it goes to has fewer than {@code queue-ahead} messages
 * waiting, so publishers keep several messages queued and each subscriber gets them in one write. Past that it is
 * answered once its message is written, which paces publishers to the fan-out; past {@code max-queued-bytes} it is
 * refused, so a burst cannot queue without bound.
 */
final class FanOutLimits {

    private final int queueAhead;
    private final long maxQueuedBytes;
    private final ConcurrentHashMap<EventLoop, FanOutBacklog> backlogs = new ConcurrentHashMap<>();
    private final LongAdder paced = new LongAdder();
    private final LongAdder refused = new LongAdder();

    FanOutLimits(WscConfig config) {
        this.queueAhead = config.fanOut().queueAhead();
        this.maxQueuedBytes = config.fanOut().maxQueuedBytes();
    }

    /** The backlog of one loop, shared by every channel's group on it. */
    FanOutBacklog backlog(EventLoop loop) {
        return backlogs.computeIfAbsent(loop, l -> new FanOutBacklog());
    }

    /**
     * True when a message of {@code bodyBytes} fits in the backlog of every loop holding subscribers of the channel
     * (counted as refused otherwise). A loop with nothing queued takes any message the size limit lets in.
     */
    boolean hasRoom(ChannelState state, int bodyBytes) {
        for (LoopGroup group : state.groups.values()) {
            long queued = group.backlog().bytes();
            if (queued > 0 && queued + bodyBytes > maxQueuedBytes) {
                refused.increment();
                return false;
            }
        }
        return true;
    }

    /** True when a publish to the channel may be answered once queued; called before it is queued. */
    boolean answersAhead(ChannelState state) {
        for (LoopGroup group : state.groups.values()) {
            if (group.backlog().messages() >= queueAhead) {
                paced.increment();
                return false;
            }
        }
        return true;
    }

    /** True when some loop has more than {@code bytes} of messages queued and not yet written. */
    boolean anyLoopOver(long bytes) {
        for (FanOutBacklog backlog : backlogs.values()) {
            if (backlog.bytes() > bytes) {
                return true;
            }
        }
        return false;
    }

    /** Some loop is past {@code max-queued-bytes}. */
    boolean full() {
        return anyLoopOver(maxQueuedBytes);
    }

    /** Every loop is at or below half of {@code max-queued-bytes}. */
    boolean drained() {
        return !anyLoopOver(maxQueuedBytes / 2);
    }

    /** Message bytes queued on every loop and not yet written (a metric). */
    long queuedBytes() {
        long queued = 0;
        for (FanOutBacklog backlog : backlogs.values()) {
            queued += backlog.bytes();
        }
        return queued;
    }

    long paced() {
        return paced.sum();
    }

    long refused() {
        return refused.sum();
    }
}
