package io.wsc.broker;

/**
 * The webhook scripts: each channel's {@link RedisKeys#webhooks} hash says what the receiver was told is there, and
 * a script that finds it news to the cluster flips it atomically, so exactly one node sends each event. They read
 * the channel's live peer counts ({@link RedisScripts}) and its members' live presence lines
 * ({@link RedisPresenceScripts}), which share the hash's slot. Every script answers Redis's clock (ms) when the
 * caller is to send the event, 0 when not.
 */
final class RedisOccupancyScripts {

    private RedisOccupancyScripts() {
    }

    /** {@code live_sub(sub)}: the member's connections on live nodes (KEYS[3] is the presence clients hash). */
    private static final String LIVE_MEMBER = """
            local function live_sub(sub)
              local value = redis.call('HGET', KEYS[3], sub)
              if not value then return 0 end
              local _, _, live = read(value, '')
              return live
            end
            """;

    /**
     * A node's first subscriber of the channel (field {@code c}) or connection of a member ({@code m:<sub>}). KEYS:
     * webhooks hash. ARGV: field. Also clears a sweep's mark: it is not empty.
     */
    static final String CLAIM = RedisScripts.NOW + """
            if redis.call('HSET', KEYS[1], ARGV[1], '0') == 0 then return 0 end
            return now
            """;

    /**
     * A node's last subscriber left the delay ago. KEYS: webhooks hash, peers hash. Vacated when no live node counts
     * one and it was occupied.
     */
    static final String RELEASE_CHANNEL = RedisScripts.NOW + RedisScripts.LIVE_PEERS + """
            if total > 0 or redis.call('HDEL', KEYS[1], 'c') == 0 then return 0 end
            return now
            """;

    /**
     * A node's last connection of a member left the delay ago. KEYS: webhooks hash, peers hash (unused), presence
     * clients hash. ARGV: sub. Removed when no live node has a connection of it and it was added.
     */
    static final String RELEASE_MEMBER = RedisPresenceScripts.READ + LIVE_MEMBER + """
            if live_sub(ARGV[1]) > 0 or redis.call('HDEL', KEYS[1], 'm:' .. ARGV[1]) == 0 then return 0 end
            return now
            """;

    /**
     * Finds what was left behind by a node that died (or lost Redis) before its release: an entry nobody counts is
     * marked with the time, and removed by a sweep at least the delay later if still nobody counts it (one that is
     * counted again loses its mark). KEYS: webhooks hash, peers hash, presence clients hash. ARGV: delay (ms).
     * Returns {1 while the hash is left, 0 once it is gone, Redis's clock (ms), then each field removed}.
     */
    static final String SWEEP = RedisPresenceScripts.READ + RedisScripts.LIVE_PEERS + LIVE_MEMBER + """
            local fields = redis.call('HGETALL', KEYS[1])
            local result = {1, now}
            for i = 1, #fields, 2 do
              local field, since = fields[i], tonumber(fields[i + 1])
              local live = field == 'c' and total or live_sub(string.sub(field, 3))
              if live > 0 then
                if since ~= 0 then redis.call('HSET', KEYS[1], field, '0') end
              elseif since == 0 then
                redis.call('HSET', KEYS[1], field, string.format('%d', now))
              elseif now - since >= tonumber(ARGV[1]) then
                redis.call('HDEL', KEYS[1], field)
                result[#result + 1] = field
              end
            end
            result[1] = redis.call('EXISTS', KEYS[1])
            return result
            """;
}
