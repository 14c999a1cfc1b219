package io.wsc.broker;

import java.time.Duration;

import io.vertx.mutiny.redis.client.Response;

/**
 * Redis's clock as this node sees it, from the heartbeat's {@code TIME}, so a publish can carry a deadline that Redis
 * itself enforces: a publish that answered 503 after {@code wsc.redis.timeout} (the client may still hold it, resend it
 * after a reconnect, or retry it on {@code CLUSTERDOWN}) must not run later, after messages published since.
 */
final class RedisClock {

    /** Not a deadline: the script then runs whenever it arrives (no sample of Redis's clock yet). */
    static final long NONE = 0;

    private final long timeoutMillis;
    /** Room for what a sample cannot see: drift until the next one, other shards' clocks. */
    private final long marginMillis;
    /** Redis's clock (ms) minus this node's monotonic clock (ms). */
    private volatile long offsetMillis;
    /** Half the round trip of the sample the offset came from: how far off it may be. */
    private volatile long uncertaintyMillis;
    private volatile boolean known;

    RedisClock(Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
        this.marginMillis = Math.max(50, timeoutMillis / 4);
    }

    /** A {@code TIME} answer, sent and answered at those {@link System#nanoTime()}s. */
    void sample(long sentNanos, long answeredNanos, Response time) {
        long uncertainty = (answeredNanos - sentNanos) / 2_000_000 + 1;
        if (uncertainty > marginMillis && known) {
            return; // a slow answer says less than the sample already held
        }
        long redisMillis = time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
        offsetMillis = redisMillis - (sentNanos + answeredNanos) / 2_000_000;
        uncertaintyMillis = uncertainty;
        known = true;
    }

    /**
     * For a publish sent now: the last moment, by Redis's clock (ms), at which it may still run, early enough that this
     * node has not yet given up on it; {@link #NONE} before the first sample.
     */
    long publishDeadline() {
        if (!known) {
            return NONE;
        }
        return System.nanoTime() / 1_000_000 + offsetMillis + timeoutMillis - uncertaintyMillis - marginMillis;
    }
}
