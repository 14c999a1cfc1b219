package io.wsc.channel;

import java.util.concurrent.atomic.LongAdder;

import io.wsc.config.WscConfig;

/**
 * The memory broker's history settings ({@code wsc.history.*}) and what all channels keep under them: each channel's
 * ring is made here, and a catch-up is bounded here.
 */
final class HistoryLimits {

    /** Messages kept per channel; 0: history off, nothing kept or stamped. */
    private final int size;
    private final long ttlNanos;
    /** Body bytes one resuming subscriber's catch-up may bring, within what a subscriber may have pending. */
    private final long catchUpBytes;
    /** Body bytes kept, across channels (a metric). */
    private final LongAdder keptBytes = new LongAdder();

    HistoryLimits(WscConfig config) {
        this.size = Math.max(0, config.history().size());
        this.ttlNanos = config.history().ttl().toNanos();
        this.catchUpBytes = CatchUp.byteBudget(config.maxPendingBytes());
    }

    boolean enabled() {
        return size > 0;
    }

    /** A channel's history, made when it is first published to. */
    ChannelHistory newHistory() {
        return new ChannelHistory(size, ttlNanos, keptBytes);
    }

    /** What a subscriber resuming after {@code since} gets from a channel's history (null: none was made). */
    CatchUp catchUp(ChannelHistory history, long since) {
        if (!enabled()) {
            return CatchUp.historyOff();
        }
        return history == null ? CatchUp.nothingKept(since) : history.since(since, System.nanoTime(), catchUpBytes);
    }

    /** The newest {@code count} messages of a channel's history, for a rewind (null: none was made). */
    CatchUp latest(ChannelHistory history, int count) {
        return history == null ? CatchUp.noneKept() : history.latest(count, System.nanoTime(), catchUpBytes);
    }

    long keptBytes() {
        return keptBytes.sum();
    }
}
