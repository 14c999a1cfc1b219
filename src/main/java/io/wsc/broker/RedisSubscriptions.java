package io.wsc.broker;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.wsc.channel.Disconnect;

/**
 * This node's one pub/sub connection to Redis (with Redis Cluster, one to each master, sharded), subscribed to exactly
 * the channels that have local subscribers, and to the control channel. It reconnects by itself (with backoff), lets
 * the broker rejoin (its counts back in Redis before any message can reach a subscriber again), then subscribes to
 * those channels again; it is restored once all are. What happens on the link goes to {@link Events}.
 */
final class RedisSubscriptions {

    /** What the link reports, on the Redis connection's thread. */
    interface Events {

        /** A message of a subscribed channel, in the channel's order. */
        void received(RedisPayload.Received message);

        /** The link dropped: messages published from now on until a channel is subscribed again do not arrive. */
        void lost();

        /** A new link is up: completes once this node is counted again, before any channel is subscribed again. */
        CompletionStage<Void> rejoin();

        /** The backend asked every node to close some connections (from the control channel). */
        void disconnect(Disconnect request);

        /** The channel is subscribed again on a new link. */
        void resubscribed(String channelId);

        /** A presence event of a channel whose events this node watches, as the presence script published it. */
        void presenceEvent(String channelId, byte[] payload);

        /** The channel's presence events are subscribed again on a new link: some may have been missed. */
        void presenceResubscribed(String channelId);
    }

    private static final Logger LOG = Logger.getLogger(RedisSubscriptions.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(200);
    private static final Duration MAX_RETRY = Duration.ofSeconds(5);

    private final Redis redis;
    private final Vertx vertx;
    private final RedisKeys keys;
    private final RedisPubSub pubSub;
    private final Duration timeout;
    private final Events events;
    private final RedisReadPacing pacing;
    /**
     * Pub/sub channel name (a channel's messages, or its presence events) -> its SUBSCRIBE, done once Redis confirmed
     * it on the current connection.
     */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> channels = new ConcurrentHashMap<>();
    /** Pub/sub channel name -> its SUBSCRIBE sent on the current connection, until Redis confirms it. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> unconfirmed = new ConcurrentHashMap<>();
    private volatile RedisConnection connection;
    /** The current connection is subscribed again to every channel it had before. */
    private volatile boolean restored;
    private volatile boolean stopped;
    private Duration retry = FIRST_RETRY;
    /** PINGs sent and PONGs received on the current connection: see {@link #checkLink}. */
    private final AtomicLong pingsSent = new AtomicLong();
    private final AtomicLong pongs = new AtomicLong();

    RedisSubscriptions(Redis redis, Vertx vertx, RedisKeys keys, RedisPubSub pubSub, Duration timeout, Events events,
            RedisReadPacing pacing) {
        this.redis = redis;
        this.vertx = vertx;
        this.keys = keys;
        this.pubSub = pubSub;
        this.timeout = timeout;
        this.events = events;
        this.pacing = pacing;
    }

    /** A link is up (maybe still subscribing again). */
    boolean isLinked() {
        return connection != null;
    }

    /** A link is up and subscribed to every channel this node serves: what it delivers is complete. */
    boolean isRestored() {
        return connection != null && restored;
    }

    void start() {
        connect();
    }

    void stop() {
        stopped = true;
        RedisConnection current = connection;
        connection = null;
        if (current != null) {
            current.close().subscribe().with(done -> { }, failure -> { });
        }
    }

    /**
     * A PING on the link, whose PONG must come back within the timeout: a link nothing is written on would otherwise
     * never notice that Redis forgot it (its reset lost in a partition, a proxy that dropped it), and its channels would
     * go quiet with nothing said. With Redis Cluster the PING goes to one of the masters' links.
     * <p>
     * PONGs are counted, not matched to their PING's answer: the Vert.x client (4.5) lets a pushed message take the
     * place of a waiting command's answer, and that PING's PONG then reaches the push handler ({@link #received}).
     */
    void checkLink() {
        RedisConnection current = connection;
        if (current == null) {
            return;
        }
        long ping = pingsSent.incrementAndGet();
        current.send(Request.cmd(Command.PING)).subscribe().with(pong -> pongs.incrementAndGet(), failure -> { });
        vertx.setTimer(timeout.toMillis(), id -> {
            if (connection == current && pongs.get() < ping) {
                lost(current, "no answer to PING within " + timeout.toMillis() + " ms");
            }
        });
    }

    /** Subscribes to the channel's messages unless already subscribed; completes once Redis confirmed it. */
    CompletableFuture<Void> subscribe(String channelId) {
        return subscribeTo(keys.messages(channelId));
    }

    void unsubscribe(String channelId) {
        unsubscribeFrom(keys.messages(channelId));
    }

    /** Subscribes to the channel's presence events (for its watchers here); completes once Redis confirmed it. */
    CompletableFuture<Void> subscribePresence(String channelId) {
        return subscribeTo(keys.presenceEvents(channelId));
    }

    void unsubscribePresence(String channelId) {
        unsubscribeFrom(keys.presenceEvents(channelId));
    }

    private CompletableFuture<Void> subscribeTo(String name) {
        if (connection == null) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("Not connected to Redis", null));
        }
        CompletableFuture<Void> subscription = channels.computeIfAbsent(name, this::sendSubscribe);
        if (subscription.isCompletedExceptionally()) { // a failed attempt is not cached: try again
            channels.remove(name, subscription);
            return channels.computeIfAbsent(name, this::sendSubscribe);
        }
        return subscription;
    }

    private void unsubscribeFrom(String name) {
        CompletableFuture<Void> subscription = channels.remove(name);
        RedisConnection current = connection;
        if (subscription != null && current != null) {
            current.send(Request.cmd(pubSub.unsubscribe).arg(name))
                    .subscribe().with(done -> { }, failure -> LOG.debugf("UNSUBSCRIBE failed: %s", failure));
        }
    }

    /**
     * Done when Redis confirms the subscription, not when it is written: only then is every later publish sure to
     * arrive. A confirmation that does not come in time fails it (the subscriber gets a 503).
     */
    private CompletableFuture<Void> sendSubscribe(String name) {
        RedisConnection current = connection;
        if (current == null) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("Not connected to Redis", null));
        }
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        unconfirmed.put(name, confirmed);
        current.send(Request.cmd(pubSub.subscribe).arg(name)).subscribe().with(sent -> { },
                confirmed::completeExceptionally);
        return confirmed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((done, failure) -> unconfirmed.remove(name, confirmed));
    }

    private void connect() {
        if (stopped) {
            return;
        }
        redis.connect().subscribe().with(this::connected, failure -> {
            LOG.debugf("Cannot connect to Redis for pub/sub: %s", failure.getMessage());
            retryLater();
        });
    }

    private void connected(RedisConnection opened) {
        pingsSent.set(0);
        pongs.set(0);
        opened.handler(push -> received(opened, push));
        opened.exceptionHandler(failure -> lost(opened, failure.getMessage()));
        opened.endHandler(() -> lost(opened, "connection closed"));
        connection = opened;
        retry = FIRST_RETRY;
        events.rejoin().whenComplete((done, failure) -> {
            if (failure != null) {
                lost(opened, "cannot rejoin: " + failure.getMessage());
            } else if (connection == opened) {
                resubscribe(opened);
            }
        });
    }

    /**
     * Channels that gained local subscribers while disconnected, or before the connection broke, and the control
     * channel, which every link listens to.
     */
    private void resubscribe(RedisConnection opened) {
        Set<String> wanted = new LinkedHashSet<>(channels.keySet());
        wanted.add(keys.control());
        channels.clear();
        CompletableFuture<?>[] all = wanted.stream().map(name -> subscribeTo(name).thenRun(() -> resubscribed(name)))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(all).whenComplete((done, failure) -> {
            if (failure != null) {
                lost(opened, "cannot subscribe again: " + failure.getMessage());
            } else if (connection == opened) {
                restored = true;
                LOG.infof("Redis pub/sub connected; subscribed to %d channels", wanted.size());
            }
        });
    }

    private void resubscribed(String name) {
        String channelId = keys.channelOf(name);
        if (channelId != null) {
            events.resubscribed(channelId);
        } else if ((channelId = keys.presenceChannelOf(name)) != null) {
            events.presenceResubscribed(channelId);
        }
    }

    private void lost(RedisConnection lost, String why) {
        if (connection != lost) {
            return; // already handled
        }
        connection = null;
        restored = false;
        unconfirmed.values().forEach(subscription -> subscription.completeExceptionally(
                new BrokerUnavailableException("The Redis pub/sub connection was lost", null)));
        LOG.warnf("Redis pub/sub connection lost (%s); reconnecting", why);
        events.lost();
        lost.close().subscribe().with(done -> { }, failure -> { });
        retryLater();
    }

    private void retryLater() {
        if (stopped) {
            return;
        }
        Duration delay = retry;
        retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        vertx.setTimer(delay.toMillis(), id -> connect());
    }

    /**
     * A pub/sub push: {@code [message, channel, payload]}, {@code [subscribe, channel, count]} confirming a subscription,
     * or {@code [unsubscribe, channel, count]}. Redis Cluster ends a sharded subscription by itself when its slot moves
     * to another shard: then the link starts again, subscribing where the slot is now.
     */
    private void received(RedisConnection on, Response push) {
        if (push != null && push.type() == ResponseType.SIMPLE && "PONG".equalsIgnoreCase(push.toString())) {
            pongs.incrementAndGet(); // see checkLink
            return;
        }
        if (push == null || push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI || push.size() < 3) {
            return;
        }
        String kind = push.get(0).toString();
        String name = push.get(1).toString();
        if (pubSub.messageKind.equalsIgnoreCase(kind)) {
            String channelId = keys.channelOf(name);
            if (channelId != null) {
                events.received(RedisPayload.decodeReceived(channelId, push.get(2).toBytes()));
                pacing.afterMessage(on);
            } else if ((channelId = keys.presenceChannelOf(name)) != null) {
                events.presenceEvent(channelId, push.get(2).toBytes());
            } else if (name.equals(keys.control())) {
                Disconnect request = DisconnectPayload.decode(push.get(2).toBytes());
                if (request != null) {
                    events.disconnect(request);
                }
            }
        } else if (pubSub.subscribedKind.equalsIgnoreCase(kind)) {
            CompletableFuture<Void> subscription = unconfirmed.remove(name);
            if (subscription != null) {
                subscription.complete(null);
            }
        } else if (pubSub == RedisPubSub.SHARDED && pubSub.unsubscribedKind.equalsIgnoreCase(kind)) {
            CompletableFuture<Void> subscription = channels.get(name);
            // not the answer to this node's own SUNSUBSCRIBE of a channel it has just subscribed to again
            if (subscription != null && subscription.isDone() && !unconfirmed.containsKey(name)) {
                lost(on, "Redis ended the subscription of " + name + " (its slot moved)");
            }
        }
    }
}
