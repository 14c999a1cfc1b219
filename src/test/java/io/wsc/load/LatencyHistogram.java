package io.wsc.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in microseconds, in log-linear buckets (exact below 1024 us, then 64 buckets per power of two: within
 * 1.6 %), safe to record from many threads. Enough for p50/p99/max without keeping every sample.
 */
public final class LatencyHistogram {

    private static final int LINEAR = 1024;
    private static final int SUB_BUCKETS = 64;
    private static final int POWERS = 64 - Long.numberOfLeadingZeros(LINEAR);
    private final AtomicLongArray counts = new AtomicLongArray(LINEAR + (65 - POWERS) * SUB_BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong maxMicros = new AtomicLong();

    public void record(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        counts.incrementAndGet(bucket(micros));
        total.incrementAndGet();
        maxMicros.accumulateAndGet(micros, Math::max);
    }

    public long count() {
        return total.get();
    }

    public double maxMillis() {
        return maxMicros.get() / 1000.0;
    }

    /** The latency (ms) below which {@code percent} of the samples lie; 0 without samples. */
    public double percentileMillis(double percent) {
        long n = total.get();
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(n * percent / 100.0);
        long seen = 0;
        for (int i = 0; i < counts.length(); i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return Math.min(upperBound(i), maxMicros.get()) / 1000.0;
            }
        }
        return maxMillis();
    }

    private static int bucket(long micros) {
        if (micros < LINEAR) {
            return (int) micros;
        }
        int power = 63 - Long.numberOfLeadingZeros(micros); // >= 10
        int sub = (int) ((micros >>> (power - 6)) & (SUB_BUCKETS - 1));
        return LINEAR + (power - (POWERS - 1)) * SUB_BUCKETS + sub;
    }

    private static long upperBound(int bucket) {
        if (bucket < LINEAR) {
            return bucket;
        }
        int power = (bucket - LINEAR) / SUB_BUCKETS + POWERS - 1;
        int sub = (bucket - LINEAR) % SUB_BUCKETS;
        return ((long) (SUB_BUCKETS + sub + 1) << (power - 6)) - 1;
    }
}
