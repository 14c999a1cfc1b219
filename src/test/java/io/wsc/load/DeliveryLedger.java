package io.wsc.load;

import java.util.BitSet;

/**
 * What one subscriber received: which sequence numbers (to count losses and duplicates exactly) and whether they came
 * in order. Used from the subscriber's own event loop only; read once the run is over.
 */
public final class DeliveryLedger {

    private final int channel;
    private final BitSet seen = new BitSet();
    private long received;
    private long duplicates;
    private long outOfOrder;
    private long highest = -1;
    private long lastNanos;

    public DeliveryLedger(int channel) {
        this.channel = channel;
    }

    public int channel() {
        return channel;
    }

    /** Message {@code seq} arrived at {@code nanos} ({@link System#nanoTime()}). */
    public synchronized void received(long seq, long nanos) {
        received++;
        lastNanos = nanos;
        if (seen.get((int) seq)) {
            duplicates++;
        } else {
            seen.set((int) seq);
        }
        // Only an earlier message after a later one is out of order: sequences may skip (the benchmark numbers
        // messages over all channels, and a lost message is counted as lost, not here).
        if (seq < highest) {
            outOfOrder++;
        } else {
            highest = seq;
        }
    }

    /** Distinct messages received. */
    public synchronized long unique() {
        return received - duplicates;
    }

    /** When the latest message arrived ({@link System#nanoTime()}), 0 before the first. */
    public synchronized long lastNanos() {
        return lastNanos;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long outOfOrder() {
        return outOfOrder;
    }

    /** Messages {@code 0..published-1} not received. */
    public synchronized long lost(long published) {
        return published - seen.get(0, (int) published).cardinality();
    }
}
