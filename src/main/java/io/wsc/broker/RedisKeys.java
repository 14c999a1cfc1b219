package io.wsc.broker;

/**
 * The Redis names wsc uses, all under one prefix ({@code wsc.redis.prefix}). Every name of a channel has the channel
 * in braces, a Redis Cluster hash tag: they all live in one slot, so each script touches a single slot and a message
 * (sharded pub/sub) crosses only the shard that owns its channel.
 */
record RedisKeys(String prefix) {

    /** Pub/sub channel that carries a wsc channel's messages. */
    String messages(String channelId) {
        return name("msg:", channelId);
    }

    /** The wsc channel a pub/sub channel name stands for, or null for a name that is not ours. */
    String channelOf(String pubSubChannel) {
        String marker = prefix + "msg:{";
        return pubSubChannel.startsWith(marker) && pubSubChannel.endsWith("}")
                ? pubSubChannel.substring(marker.length(), pubSubChannel.length() - 1) : null;
    }

    /** Hash: node id -> that node's subscribers of the channel and until when they count ({@code <count>:<ms>}). */
    String peers(String channelId) {
        return name("peers:", channelId);
    }

    /** Hash: {@code messages} and {@code bytes} sent to the channel, cluster-wide, and its sequence ({@code seq}). */
    String stats(String channelId) {
        return name("stats:", channelId);
    }

    /**
     * Stream of a channel's kept messages (history on), entry ids {@code <message id>-0}; it expires a little after its
     * newest entry's ttl, and a new one starts a new sequence of ids.
     */
    String history(String channelId) {
        return name("history:", channelId);
    }

    private String name(String kind, String channelId) {
        return prefix + kind + '{' + channelId + '}';
    }
}
