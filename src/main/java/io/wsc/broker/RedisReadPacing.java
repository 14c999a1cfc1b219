package io.wsc.broker;

import java.util.function.BooleanSupplier;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.wsc.metrics.WscMetrics;

/**
 * Stops reading the pub/sub link while this node's fan-out is behind. Messages that other nodes publish were answered
 * there, so this node's fan-out bound ({@code wsc.fan-out.max-queued-bytes}) cannot refuse them: without pacing, a
 * node whose loops fall behind would queue them without bound. Past the bound on any loop the link is paused until
 * every loop has drained to half of it; TCP then holds the rest, in Redis's output buffer for this client. Should
 * that pass Redis's {@code client-output-buffer-limit} for pub/sub, Redis drops the link, and the node recovers from
 * history or tells its subscribers what they missed, as for any dropped link: bounded memory, nothing lost silently.
 */
final class RedisReadPacing {

    /** How often a paused link looks at the loops again: a drained loop should not wait long for the next message. */
    private static final long CHECK_MILLIS = 1;

    private final Vertx vertx;
    private final BooleanSupplier behind;
    private final BooleanSupplier caughtUp;
    private final WscMetrics metrics;
    /** The link held back now, if any (touched on the link's context only). */
    private RedisConnection paused;

    /**
     * @param behind true when what this node received is past the bound, not yet written to its subscribers
     * @param caughtUp true when that has drained to half the bound
     */
    RedisReadPacing(Vertx vertx, BooleanSupplier behind, BooleanSupplier caughtUp, WscMetrics metrics) {
        this.vertx = vertx;
        this.behind = behind;
        this.caughtUp = caughtUp;
        this.metrics = metrics;
    }

    /** After a message of {@code link} went to the fan-out: pauses the link if that filled a loop's backlog. */
    void afterMessage(RedisConnection link) {
        if (paused != null || !behind.getAsBoolean()) {
            return;
        }
        paused = link;
        link.pause();
        metrics.redisReadPaused();
        vertx.setPeriodic(CHECK_MILLIS, timer -> {
            if (caughtUp.getAsBoolean()) {
                vertx.cancelTimer(timer);
                paused = null;
                link.resume(); // a link lost meanwhile is closed already: resuming it does nothing
            }
        });
    }
}
