package io.wsc.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.wsc.channel.CatchUp;
import io.wsc.channel.KeptMessage;
import io.wsc.channel.Message;

/**
 * Channel history kept in Redis (one capped stream per channel), so any node can serve a subscriber's catch-up: the
 * requests for a publish that keeps its message and for a catch-up, and what a catch-up's answer means, gap included.
 */
final class RedisHistory {

    /** A stream outlives its newest entry's ttl by this much, so a new sequence never starts in the same ms. */
    private static final Duration KEY_GRACE = Duration.ofSeconds(1);

    private final RedisKeys keys;
    private final int size;
    private final long ttlMillis;
    private final long byteBudget;
    private final String publishScript;

    RedisHistory(RedisKeys keys, int size, Duration ttl, long byteBudget, RedisPubSub pubSub) {
        this.keys = keys;
        this.size = size;
        this.ttlMillis = ttl.toMillis();
        this.byteBudget = byteBudget;
        this.publishScript = pubSub.script(RedisScripts.PUBLISH_KEPT);
    }

    /** Publishes, keeps the message and gives it its id: answers {recipients, id}. See {@link RedisClock}. */
    Request publish(Message message, long deadline) {
        String channelId = message.channelId();
        return Request.cmd(Command.EVAL).arg(publishScript).arg(4)
                .arg(keys.messages(channelId)).arg(keys.peers(channelId)).arg(keys.stats(channelId))
                .arg(keys.history(channelId))
                .arg(Buffer.buffer(RedisPayload.encode(message))).arg(message.body().length)
                .arg(size).arg(ttlMillis + KEY_GRACE.toMillis()).arg(deadline);
    }

    /** Reads the kept messages after {@code since}: at most {@link #size} of them and the byte budget's worth. */
    Request catchUp(String channelId, long since) {
        return Request.cmd(Command.EVAL).arg(RedisScripts.CATCH_UP).arg(1).arg(keys.history(channelId))
                .arg(since).arg(size).arg(ttlMillis).arg(byteBudget);
    }

    /** Reads the newest {@code count} kept messages (at most {@link #size}) within the byte budget: a rewind. */
    Request latest(String channelId, int count) {
        return Request.cmd(Command.EVAL).arg(RedisScripts.CATCH_UP).arg(1).arg(keys.history(channelId))
                .arg(0).arg(Math.min(count, size)).arg(ttlMillis).arg(byteBudget);
    }

    /** Ends a {@link RedisScripts#RECOVER} request with the bounds of a catch-up: most entries, ttl, byte budget. */
    Request withBounds(Request recover) {
        return recover.arg(size).arg(ttlMillis).arg(byteBudget);
    }

    /**
     * The catch-up script's answer as a {@link CatchUp}. A gap is reported when any message after {@code since} is
     * missing from it: trimmed by size, expired, cut by the byte budget, or {@code since} is from an earlier stream
     * (above the last id, or below the first id this stream gave). {@code since} 0 means "from this stream's start".
     */
    static CatchUp read(String channelId, long since, Response answer) {
        long lastId = Long.parseLong(answer.get(0).toString());
        if (lastId == 0) {
            return CatchUp.nothingKept(since);
        }
        long added = answer.get(1).toLong();
        boolean cut = answer.get(2).toInteger() == 1;
        List<KeptMessage> kept = new ArrayList<>((answer.size() - 3) / 2);
        for (int i = answer.size() - 2; i >= 3; i -= 2) { // the script lists the newest first
            Message message = RedisPayload.decode(channelId, answer.get(i + 1).toBytes());
            kept.add(new KeptMessage(Long.parseLong(answer.get(i).toString()), message.body(), message.binary()));
        }
        long seen = since == 0 ? lastId - added : since; // the id before the first one wanted
        boolean gap = cut || since > lastId || (kept.isEmpty() ? seen < lastId : kept.get(0).id() > seen + 1);
        return new CatchUp(Collections.unmodifiableList(kept), gap, lastId);
    }
}
