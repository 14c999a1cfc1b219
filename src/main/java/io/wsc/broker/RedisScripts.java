package io.wsc.broker;

/**
 * Lua scripts, so a publish or a stats request is one atomic round trip. Peers are summed over the nodes whose
 * heartbeat key still exists: a node that died stops counting once its key expires.
 */
final class RedisScripts {

    private RedisScripts() {
    }

    /** KEYS: pub/sub channel, peers hash, stats hash. ARGV: payload, body length, node key prefix. Returns recipients. */
    static final String PUBLISH = """
            redis.call('PUBLISH', KEYS[1], ARGV[1])
            local peers = redis.call('HGETALL', KEYS[2])
            local total = 0
            for i = 1, #peers, 2 do
              if redis.call('EXISTS', ARGV[3] .. peers[i]) == 1 then total = total + tonumber(peers[i + 1]) end
            end
            redis.call('HINCRBY', KEYS[3], 'messages', 1)
            redis.call('HINCRBY', KEYS[3], 'bytes', total * tonumber(ARGV[2]))
            return total
            """;

    /** KEYS: peers hash, stats hash. ARGV: node key prefix. Returns {peers, messages, bytes}; forgets dead nodes. */
    static final String STATS = """
            local peers = redis.call('HGETALL', KEYS[1])
            local total = 0
            for i = 1, #peers, 2 do
              if redis.call('EXISTS', ARGV[1] .. peers[i]) == 1 then total = total + tonumber(peers[i + 1])
              else redis.call('HDEL', KEYS[1], peers[i]) end
            end
            local sent = redis.call('HMGET', KEYS[2], 'messages', 'bytes')
            return {total, tonumber(sent[1]) or 0, tonumber(sent[2]) or 0}
            """;
}
