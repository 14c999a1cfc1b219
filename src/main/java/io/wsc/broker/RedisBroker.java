package io.wsc.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.wsc.channel.CatchUp;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.ChannelStats;
import io.wsc.channel.Disconnect;
import io.wsc.channel.LocalDisconnects;
import io.wsc.channel.Message;
import io.wsc.channel.PresenceFeed;
import io.wsc.channel.Published;
import io.wsc.config.WscConfig;
import io.wsc.metrics.WscMetrics;
import io.wsc.presence.Presence;
import io.wsc.presence.PresenceCounts;
import io.wsc.webhook.Occupancy;

/**
 * Several nodes share channels through Redis pub/sub. A publish goes to Redis only; every node subscribed to the
 * channel (the publisher's too) gets it back and fans it out to its own subscribers, so each subscriber gets it once.
 * Each node keeps its subscriber counts in Redis, next to a heartbeat key that expires when the node dies; receipts and
 * stats sum the counts of live nodes. With history on, messages are also kept in Redis ({@link RedisHistory}), so a
 * subscriber can resume on any node. What a node misses while its pub/sub link is down it reads back, or signals
 * ({@link ChannelContinuity}); meanwhile it counts none of its subscribers, as nothing reaches them live.
 */
@Singleton
@Typed(RedisBroker.class)
public class RedisBroker implements Broker {

    private static final Logger LOG = Logger.getLogger(RedisBroker.class);
    /** A channel's last local subscriber may be followed by a new one soon (a reload): keep the subscription a while. */
    private static final Duration UNSUBSCRIBE_GRACE = Duration.ofSeconds(5);

    private final Redis redis;
    private final Vertx vertx;
    private final ChannelHub hub;
    private final RedisKeys keys;
    private final RedisSubscriptions subscriptions;
    private final PeerCountWriter peerCounts;
    private final ChannelContinuity continuity;
    /** {@link RedisScripts#PUBLISH} with the pub/sub command of the client type. */
    private final String publishScript;
    /** Null with history off. */
    private final RedisHistory history;
    private final String nodeId = UUID.randomUUID().toString();
    private final RedisClock clock;
    private final Duration heartbeat;
    private final Duration timeout;
    private final long heartbeatTimer;
    private final RedisPresence presence;
    private final RedisOccupancy occupancy;
    private final LocalDisconnects disconnects;
    /** {@link RedisScripts#CONTROL} with the pub/sub command of the client type. */
    private final String controlScript;
    private volatile boolean heartbeatOk;

    /**
     * {@code Instance}: with the memory broker no Redis is configured, and its client must not even be created. The
     * client type is Quarkus's own setting: with {@code cluster}, pub/sub is sharded.
     */
    RedisBroker(Instance<Redis> redis, Vertx vertx, ChannelHub hub, WscConfig config, WscMetrics metrics,
            PresenceCounts presenceCounts, PresenceFeed presenceFeed, LocalDisconnects disconnects,
            @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone") String clientType) {
        this.redis = redis.get();
        RedisPubSub pubSub = RedisPubSub.forClientType(clientType);
        this.publishScript = pubSub.script(RedisScripts.PUBLISH);
        this.controlScript = pubSub.script(RedisScripts.CONTROL);
        this.disconnects = disconnects;
        this.vertx = vertx;
        this.hub = hub;
        this.keys = new RedisKeys(config.redis().prefix());
        this.peerCounts = new PeerCountWriter(this::writeCount);
        this.heartbeat = config.redis().heartbeat();
        this.timeout = config.redis().timeout();
        this.clock = new RedisClock(timeout);
        this.history = config.history().size() > 0 ? new RedisHistory(keys, config.history().size(),
                config.history().ttl(), CatchUp.byteBudget(config.maxPendingBytes()), pubSub) : null;
        this.continuity = new ChannelContinuity(hub, vertx, metrics, this::recover);
        this.subscriptions = new RedisSubscriptions(this.redis, vertx, keys, pubSub, timeout, new LinkEvents(),
                pacing(config.fanOut().maxQueuedBytes(), metrics));
        this.presence = new RedisPresence(this::call, keys, pubSub, subscriptions, presenceCounts, presenceFeed, vertx,
                nodeId, heartbeat.multipliedBy(3), config.presence().max());
        this.occupancy = new RedisOccupancy(this::call, keys, config.webhook().vacatedDelay().toMillis());
        subscriptions.start();
        beat();
        this.heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), id -> beat());
        LOG.infof("Redis broker (%s, %s pub/sub): node %s", clientType, pubSub.name().toLowerCase(), nodeId);
    }

    @Override
    public CompletionStage<Published> publish(Message message) {
        if (history != null) {
            return call(history.publish(message, clock.publishDeadline()))
                    .map(answer -> new Published(answer.get(0).toInteger(), Long.parseLong(answer.get(1).toString())))
                    .subscribeAsCompletionStage();
        }
        Request script = Request.cmd(Command.EVAL).arg(publishScript).arg(3)
                .arg(keys.messages(message.channelId())).arg(keys.peers(message.channelId()))
                .arg(keys.stats(message.channelId()))
                .arg(io.vertx.mutiny.core.buffer.Buffer.buffer(RedisPayload.encode(message)))
                .arg(message.body().length).arg(clock.publishDeadline());
        return call(script).map(count -> new Published(count.toInteger(), 0)).subscribeAsCompletionStage();
    }

    /** Read after the subscriber joined and this node subscribed: anything published later arrives live, with its id. */
    @Override
    public CompletionStage<CatchUp> catchUp(String channelId, long since) {
        if (history == null) {
            return CompletableFuture.completedStage(CatchUp.historyOff());
        }
        return call(history.catchUp(channelId, since)).map(answer -> RedisHistory.read(channelId, since, answer))
                .subscribeAsCompletionStage();
    }

    /** Read as {@link #catchUp} is: what is published later arrives live, with its id. */
    @Override
    public CompletionStage<CatchUp> latest(String channelId, int count) {
        if (history == null) {
            return CompletableFuture.completedStage(CatchUp.noneKept());
        }
        return call(history.latest(channelId, count)).map(answer -> RedisHistory.read(channelId, 0, answer).asRewind())
                .subscribeAsCompletionStage();
    }

    @Override
    public Uni<ChannelStats> stats(String channelId) {
        Request script = Request.cmd(Command.EVAL).arg(RedisScripts.STATS).arg(2)
                .arg(keys.stats(channelId)).arg(keys.peers(channelId));
        return call(script).map(numbers -> new ChannelStats(numbers.get(0).toInteger(), numbers.get(1).toLong(),
                numbers.get(2).toLong()));
    }

    /**
     * Counted before subscribing, so no receipt leaves out a subscriber that gets the message; both before the 101, so
     * a publish right after the socket opens counts and reaches this subscriber.
     */
    @Override
    public Uni<Void> subscribed(String channelId) {
        return follow(channelId)
                .chain(() -> Uni.createFrom().completionStage(() -> peerCounts.update(channelId)))
                .chain(() -> Uni.createFrom().completionStage(() -> subscriptions.subscribe(channelId)))
                .replaceWithVoid();
    }

    /** The channel's sequence number before this node subscribes: where a read of what it missed would start. */
    private Uni<Void> follow(String channelId) {
        if (continuity.follows(channelId)) {
            return Uni.createFrom().voidItem();
        }
        return call(Request.cmd(Command.HGET).arg(keys.stats(channelId)).arg("seq"))
                .invoke(seq -> continuity.follow(channelId, seq == null ? 0 : seq.toLong()))
                .replaceWithVoid();
    }

    /** What the channel missed after sequence number {@code after}: see {@link RedisScripts#RECOVER}. */
    private CompletionStage<Response> recover(String channelId, long after, long stamp) {
        Request script = Request.cmd(Command.EVAL).arg(RedisScripts.RECOVER);
        if (history == null) {
            script.arg(1).arg(keys.stats(channelId)).arg(after).arg(stamp);
        } else {
            history.withBounds(script.arg(2).arg(keys.stats(channelId)).arg(keys.history(channelId)).arg(after)
                    .arg(stamp));
        }
        return call(script).subscribeAsCompletionStage();
    }

    @Override
    public void unsubscribed(String channelId, int remaining) {
        peerCounts.update(channelId); // a failed write is repaired by the next heartbeat
        if (remaining == 0) {
            vertx.setTimer(UNSUBSCRIBE_GRACE.toMillis(), id -> {
                if (hub.localSubscribers(channelId) == 0) {
                    subscriptions.unsubscribe(channelId);
                    continuity.forget(channelId);
                }
            });
        }
    }

    /**
     * One message on the control channel, which every node (this one too) hears on its pub/sub link and acts on. A
     * node whose link is down at that moment does not hear it; its subscribers miss messages then too.
     */
    @Override
    public CompletionStage<Void> disconnect(Disconnect request) {
        Request script = Request.cmd(Command.EVAL).arg(controlScript).arg(1).arg(keys.control())
                .arg(io.vertx.mutiny.core.buffer.Buffer.buffer(DisconnectPayload.encode(request)));
        return call(script).replaceWithVoid().subscribeAsCompletionStage();
    }

    @Override
    public Presence presence() {
        return presence;
    }

    @Override
    public Occupancy occupancy() {
        return occupancy;
    }

    /** After a lost link, not before this node is counted again and subscribed to all its channels again. */
    @Override
    public boolean isAvailable() {
        return heartbeatOk && subscriptions.isRestored();
    }

    /**
     * On shutdown, while the Redis client is still open (at {@code @PreDestroy} it is gone); IF_EXISTS: with the memory
     * broker this bean was never created, and must not be now. Waits for the goodbye, or the process exits first.
     */
    void leaveCluster(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent shutdown) {
        vertx.cancelTimer(heartbeatTimer);
        subscriptions.stop();
        // one command per channel, not a batch: with Redis Cluster the channels' slots are on different shards
        List<Uni<Response>> goodbye = new ArrayList<>();
        hub.localSubscriberCounts().keySet().forEach(channel ->
                goodbye.add(redis.send(Request.cmd(Command.HDEL).arg(keys.peers(channel)).arg(nodeId))));
        goodbye.addAll(presence.goodbye());
        if (!goodbye.isEmpty()) {
            Uni.join().all(goodbye).andCollectFailures().ifNoItem().after(timeout).fail()
                    .onFailure().recoverWithNull().await().indefinitely();
        }
    }

    /**
     * Rewrites all this node's counts, with a new deadline, which also repairs them after a failed write or after Redis
     * lost its data; a TIME says Redis answers when there are none, and samples its clock for the publishes'
     * deadlines. The counts go through the same per-channel writer as every other count update: a snapshot sent beside
     * it could land after a newer count and put a stale one back (987 of 1,000 peers, once). The pub/sub link is
     * checked too: nothing else is written on it, so it would never notice that Redis forgot it.
     */
    /**
     * Reads of the link wait while what it brought is past {@code maxQueuedBytes}, queued for the channels' loops
     * or in a loop's fan-out, until both have drained to half of it.
     */
    private RedisReadPacing pacing(long maxQueuedBytes, WscMetrics metrics) {
        return new RedisReadPacing(vertx, () -> continuity.waitingBytes() > maxQueuedBytes || hub.fanOutFull(),
                () -> continuity.waitingBytes() <= maxQueuedBytes / 2 && hub.fanOutDrained(), metrics);
    }

    private void beat() {
        subscriptions.checkLink();
        long sent = System.nanoTime();
        call(Request.cmd(Command.TIME)).subscribe().with(time -> {
            clock.sample(sent, System.nanoTime(), time);
            if (!heartbeatOk) {
                LOG.info("Redis reachable: the broker is available");
            }
            heartbeatOk = true;
            rewriteCounts(); // a failed write waits for the next beat
            presence.beat();
            occupancy.beat(() -> hub.localSubscriberCounts().keySet());
        }, failure -> {
            if (heartbeatOk) {
                LOG.warnf("Redis unreachable (%s): publishing answers 503 until it is back", failure.getMessage());
            }
            heartbeatOk = false;
        });
    }

    private CompletableFuture<Void> rewriteCounts() {
        return CompletableFuture.allOf(hub.localSubscriberCounts().keySet().stream()
                .map(channelId -> peerCounts.update(channelId).toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Counts none of this node's subscribers while its link is down: nothing reaches them live. A count lasts three
     * heartbeats: a node that dies stops counting then.
     */
    private Uni<Response> writeCount(String channelId) {
        int count = subscriptions.isLinked() ? hub.localSubscribers(channelId) : 0;
        return call(Request.cmd(Command.EVAL).arg(RedisScripts.WRITE_PEERS).arg(1).arg(keys.peers(channelId))
                .arg(nodeId).arg(count).arg(heartbeat.toMillis() * 3));
    }

    private Uni<Response> call(Request request) {
        return redis.send(request).ifNoItem().after(timeout).fail()
                .onFailure().transform(failure -> new BrokerUnavailableException(
                        "The message broker (Redis) is unavailable; try again shortly", failure));
    }

    /** The pub/sub link's events: counts follow the link, and what it carries goes through the continuity check. */
    private final class LinkEvents implements RedisSubscriptions.Events {

        @Override
        public void received(RedisPayload.Received message) {
            continuity.received(message);
        }

        @Override
        public void lost() {
            continuity.linkLost();
            rewriteCounts(); // none of this node's subscribers can be reached live now
        }

        @Override
        public CompletionStage<Void> rejoin() {
            return rewriteCounts();
        }

        @Override
        public void disconnect(Disconnect request) {
            disconnects.disconnect(request);
        }

        @Override
        public void resubscribed(String channelId) {
            continuity.resubscribed(channelId);
        }

        @Override
        public void presenceEvent(String channelId, byte[] payload) {
            presence.received(channelId, payload);
        }

        @Override
        public void presenceResubscribed(String channelId) {
            presence.resubscribed(channelId);
        }
    }
}
