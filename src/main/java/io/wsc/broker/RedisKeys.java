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
        return between(pubSubChannel, prefix + "msg:{");
    }

    private static String between(String name, String marker) {
        return name.startsWith(marker) && name.endsWith("}") ? name.substring(marker.length(), name.length() - 1)
                : null;
    }

    /**
     * Pub/sub channel every node listens to, for requests that concern them all (a disconnect). One fixed hash tag:
     * with Redis Cluster's sharded pub/sub it lives on one shard, and each node's link subscribes there.
     */
    String control() {
        return prefix + "control:{control}";
    }

    /** Pub/sub channel that carries a wsc channel's presence events (to the nodes with watchers of it). */
    String presenceEvents(String channelId) {
        return name("presence-events:", channelId);
    }

    /** The wsc channel a presence events pub/sub channel stands for, or null for a name that is not one. */
    String presenceChannelOf(String pubSubChannel) {
        return between(pubSubChannel, prefix + "presence-events:{");
    }

    /** Sorted set (all scores 0, so ordered by name): the {@code sub} of every client counted in the channel. */
    String presenceIndex(String channelId) {
        return name("presence:", channelId);
    }

    /**
     * Hash: {@code sub} -> the client's {@code info} (may be empty), then one line per node with its connections and
     * until when they count: {@code <info>\n<node> <count> <deadline ms>...}.
     */
    String presenceClients(String channelId) {
        return name("presence-clients:", channelId);
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

    /**
     * Hash: what the webhook receiver was told is in the channel ({@link RedisOccupancyScripts}): field {@code c} for
     * the channel, {@code m:<sub>} for each member; value {@code 0}, or when a sweep first found it empty (ms).
     */
    String webhooks(String channelId) {
        return name("webhooks:", channelId);
    }

    /** Set of the channels that may have a {@link #webhooks} hash, for the sweep that finds those of dead nodes. */
    String webhookChannels() {
        return prefix + "webhook-channels";
    }

    private String name(String kind, String channelId) {
        return prefix + kind + '{' + channelId + '}';
    }
}
