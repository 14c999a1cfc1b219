package io.wsc.broker;

/** The Redis names wsc uses, all under one prefix ({@code wsc.redis.prefix}). */
record RedisKeys(String prefix) {

    /** Pub/sub channel that carries a wsc channel's messages. */
    String messages(String channelId) {
        return prefix + "msg:" + channelId;
    }

    /** The wsc channel a pub/sub channel name stands for, or null for a name that is not ours. */
    String channelOf(String pubSubChannel) {
        String marker = prefix + "msg:";
        return pubSubChannel.startsWith(marker) ? pubSubChannel.substring(marker.length()) : null;
    }

    /** Hash: node id -> that node's subscribers of the channel. */
    String peers(String channelId) {
        return prefix + "peers:" + channelId;
    }

    /** Hash: {@code messages} and {@code bytes} sent to the channel, cluster-wide. */
    String stats(String channelId) {
        return prefix + "stats:" + channelId;
    }

    /**
     * Stream of a channel's kept messages (history on), entry ids {@code <message id>-0}; it expires a little after its
     * newest entry's ttl, and a new one starts a new sequence of ids.
     */
    String history(String channelId) {
        return prefix + "history:" + channelId;
    }

    /** Prefix of the keys that say a node is alive (they expire unless the node's heartbeat renews them). */
    String nodePrefix() {
        return prefix + "node:";
    }
}
