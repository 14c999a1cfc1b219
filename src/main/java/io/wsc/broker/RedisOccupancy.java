package io.wsc.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.wsc.webhook.Occupancy;
import io.wsc.webhook.WebhookEvent;

/**
 * Webhook occupancy shared by the cluster ({@link RedisOccupancyScripts}): claims and releases are atomic scripts on
 * the channel's slot, so one node sends each event, and a release reads cluster-wide counts. A node that dies cannot
 * release what it held: every heartbeat each node adds its channels to the {@link RedisKeys#webhookChannels} set and
 * sweeps a page of it, which finds entries no live node counts and, a delay later, reports them vacated (or removed).
 */
final class RedisOccupancy implements Occupancy {

    private static final Logger LOG = Logger.getLogger(RedisOccupancy.class);
    private static final int SWEEP_PAGE = 100;
    private static final int INDEX_CHUNK = 500;
    private static final String CHANNEL_FIELD = "c";
    private static final String MEMBER_PREFIX = "m:";

    private final Function<Request, Uni<Response>> call;
    private final RedisKeys keys;
    private final long delayMillis;
    private volatile Consumer<WebhookEvent> orphans;
    /** Where the next sweep goes on in the index ("0": from the start); heartbeats do not overlap on one node. */
    private volatile String sweepCursor = "0";

    RedisOccupancy(Function<Request, Uni<Response>> call, RedisKeys keys, long delayMillis) {
        this.call = call;
        this.keys = keys;
        this.delayMillis = delayMillis;
    }

    @Override
    public Uni<Long> claim(String channelId, String sub) {
        Request claim = Request.cmd(Command.EVAL).arg(RedisOccupancyScripts.CLAIM).arg(1).arg(keys.webhooks(channelId))
                .arg(field(sub));
        // indexed whether news or not: a sweep may just have dropped it from the set
        return call.apply(claim).call(() -> call.apply(Request.cmd(Command.SADD).arg(keys.webhookChannels())
                .arg(channelId))).map(Response::toLong);
    }

    @Override
    public Uni<Long> release(String channelId, String sub) {
        Request release = Request.cmd(Command.EVAL)
                .arg(sub == null ? RedisOccupancyScripts.RELEASE_CHANNEL : RedisOccupancyScripts.RELEASE_MEMBER)
                .arg(sub == null ? 2 : 3).arg(keys.webhooks(channelId)).arg(keys.peers(channelId));
        if (sub != null) {
            release.arg(keys.presenceClients(channelId)).arg(sub);
        }
        return call.apply(release).map(Response::toLong);
    }

    @Override
    public void reportOrphans(Consumer<WebhookEvent> vacated) {
        this.orphans = vacated;
    }

    /** Every heartbeat (webhooks on): indexes this node's channels, and sweeps a page of the index. */
    void beat(Supplier<Set<String>> localChannels) {
        if (orphans == null) {
            return;
        }
        List<String> channels = new ArrayList<>(localChannels.get());
        for (int from = 0; from < channels.size(); from += INDEX_CHUNK) {
            Request add = Request.cmd(Command.SADD).arg(keys.webhookChannels());
            channels.subList(from, Math.min(channels.size(), from + INDEX_CHUNK)).forEach(add::arg);
            call.apply(add).subscribe().with(ok -> { }, failure -> LOG.debugf("Webhook index write failed: %s",
                    failure.getMessage()));
        }
        call.apply(Request.cmd(Command.SSCAN).arg(keys.webhookChannels()).arg(sweepCursor).arg("COUNT")
                .arg(SWEEP_PAGE)).subscribe().with(page -> {
                    sweepCursor = page.get(0).toString();
                    page.get(1).forEach(channel -> sweep(channel.toString()));
                }, failure -> LOG.debugf("Webhook sweep failed: %s", failure.getMessage()));
    }

    private void sweep(String channelId) {
        Request sweep = Request.cmd(Command.EVAL).arg(RedisOccupancyScripts.SWEEP).arg(3).arg(keys.webhooks(channelId))
                .arg(keys.peers(channelId)).arg(keys.presenceClients(channelId)).arg(delayMillis);
        call.apply(sweep).subscribe().with(answer -> {
            long time = answer.get(1).toLong();
            List<WebhookEvent> events = new ArrayList<>();
            for (int i = 2; i < answer.size(); i++) {
                String field = answer.get(i).toString();
                String sub = field.equals(CHANNEL_FIELD) ? null : field.substring(MEMBER_PREFIX.length());
                events.add(WebhookEvent.emptied(channelId, sub, time));
            }
            events.sort((a, b) -> Boolean.compare(a.sub() == null, b.sub() == null)); // members leave first
            events.forEach(orphans);
            if (answer.get(0).toInteger() == 0) {
                call.apply(Request.cmd(Command.SREM).arg(keys.webhookChannels()).arg(channelId)).subscribe()
                        .with(ok -> { }, failure -> { });
            }
        }, failure -> LOG.debugf("Webhook sweep of %s failed: %s", channelId, failure.getMessage()));
    }

    private static String field(String sub) {
        return sub == null ? CHANNEL_FIELD : MEMBER_PREFIX + sub;
    }
}
