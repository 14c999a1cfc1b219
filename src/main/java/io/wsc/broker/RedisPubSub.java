package io.wsc.broker;

import io.vertx.mutiny.redis.client.Command;

/**
 * Which pub/sub the broker uses. Redis Cluster gets sharded pub/sub (Redis 7): a message crosses only the shard that
 * owns its channel's slot, where plain pub/sub would copy every message to every node of the cluster. Standalone and
 * Sentinel keep plain pub/sub, which Redis 6 has too.
 */
enum RedisPubSub {

    PLAIN(Command.SUBSCRIBE, Command.UNSUBSCRIBE, "message", "subscribe", "unsubscribe", "PUBLISH"),
    SHARDED(Command.SSUBSCRIBE, Command.SUNSUBSCRIBE, "smessage", "ssubscribe", "sunsubscribe", "SPUBLISH");

    final Command subscribe;
    final Command unsubscribe;
    /** The kinds of push Redis sends: a message, a subscription confirmed, a subscription ended. */
    final String messageKind;
    final String subscribedKind;
    final String unsubscribedKind;
    private final String publish;

    RedisPubSub(Command subscribe, Command unsubscribe, String messageKind, String subscribedKind,
            String unsubscribedKind, String publish) {
        this.subscribe = subscribe;
        this.unsubscribe = unsubscribe;
        this.messageKind = messageKind;
        this.subscribedKind = subscribedKind;
        this.unsubscribedKind = unsubscribedKind;
        this.publish = publish;
    }

    /** For {@code quarkus.redis.client-type}: sharded for {@code cluster}. */
    static RedisPubSub forClientType(String clientType) {
        return "cluster".equalsIgnoreCase(clientType.trim()) ? SHARDED : PLAIN;
    }

    /** A publish script of {@link RedisScripts}, publishing with this pub/sub's command. */
    String script(String publishScript) {
        return publishScript.replace("redis.call('PUBLISH',", "redis.call('" + publish + "',");
    }
}
