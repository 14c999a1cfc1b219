package io.wsc.broker;

/**
 * Lua scripts, so a publish or a stats request is one atomic round trip. Peers are summed over the nodes whose
 * heartbeat key still exists: a node that died stops counting once its key expires.
 */
final class RedisScripts {

    private RedisScripts() {
    }

    /**
     * The message's sequence in its channel ({@code seq}), from the stats hash (KEYS[3]): consecutive, so a node that
     * sees a number skipped knows it missed a message. A new sequence (first publish, or Redis lost its data) starts
     * from Redis's clock in ms x 1000, above any number of an earlier one, so a node that knew the old one sees a hole
     * rather than numbers it takes for duplicates. Its first number is kept ({@code seq_start}).
     */
    private static final String SEQUENCE = """
            local seq = redis.call('HINCRBY', KEYS[3], 'seq', 1)
            if seq == 1 then
              local clock = redis.call('TIME')
              seq = (clock[1] * 1000 + math.floor(clock[2] / 1000)) * 1000 + 1
              redis.call('HSET', KEYS[3], 'seq', string.format('%d', seq), 'seq_start', string.format('%d', seq))
            end
            seq = string.format('%d', seq)
            """;

    /** Sums live nodes' peers into {@code total} and counts the message in the stats hash (KEYS[2], KEYS[3], ARGV[2..3]). */
    private static final String COUNT = """
            local peers = redis.call('HGETALL', KEYS[2])
            local total = 0
            for i = 1, #peers, 2 do
              if redis.call('EXISTS', ARGV[3] .. peers[i]) == 1 then total = total + tonumber(peers[i + 1]) end
            end
            redis.call('HINCRBY', KEYS[3], 'messages', 1)
            redis.call('HINCRBY', KEYS[3], 'bytes', total * tonumber(ARGV[2]))
            """;

    /**
     * KEYS: pub/sub channel, peers hash, stats hash. ARGV: payload, body length, node key prefix. Returns recipients.
     * The pub/sub copy starts with {@code #<seq>:0 } (no id: history is off).
     */
    static final String PUBLISH = SEQUENCE + "redis.call('PUBLISH', KEYS[1], '#' .. seq .. ':0 ' .. ARGV[1])\n"
            + COUNT + "return total\n";

    /**
     * Publish with history. KEYS: as {@link #PUBLISH}, then the history stream. ARGV: as {@link #PUBLISH}, then the
     * most entries kept, the stream key's ttl (ms). Returns {recipients, id}. The pub/sub copy starts with
     * {@code #<seq>:<id> }; the kept one (field {@code m}) is the plain payload, next to its time and sequence number.
     * <p>
     * The id is the stream's last one plus one, so ids of a channel are consecutive while its stream lives. A new
     * stream (first publish, after it expired, or after Redis lost its data) starts from Redis's clock in ms x 1000:
     * above every id of an earlier stream (Redis does far fewer than 1000 publishes per ms), so a subscriber resuming
     * from an old id is told about the gap instead of silently skipping the new sequence's first ids. Lua numbers are
     * doubles: such ids (about 1.8e15) stay exact, and string.format('%d') writes them without an exponent.
     */
    static final String PUBLISH_KEPT = SEQUENCE + """
            local now = redis.call('TIME')
            local ms = now[1] * 1000 + math.floor(now[2] / 1000)
            local top = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', 1)
            local id = #top == 0 and ms * 1000 + 1 or tonumber(string.match(top[1][1], '^%d+')) + 1
            id = string.format('%d', id)
            redis.call('XADD', KEYS[4], 'MAXLEN', ARGV[4], id .. '-0', 'm', ARGV[1], 't', string.format('%d', ms), 's', seq)
            redis.call('PEXPIRE', KEYS[4], ARGV[5])
            redis.call('PUBLISH', KEYS[1], '#' .. seq .. ':' .. id .. ' ' .. ARGV[1])
            """ + COUNT + "return {total, id}\n";

    /**
     * A resuming subscriber's catch-up. KEYS: history stream. ARGV: since (decimal), most entries, ttl (ms), most body
     * bytes. Returns {last id, entries the stream ever took, cut (1 when the byte bound stopped it), then id and payload
     * of each kept message after since, newest first}; {"0", 0, 0} without a stream. A since above the last id (from an
     * earlier stream) gets everything kept. Read in one script, so the last id is exactly what the entries end with.
     */
    static final String CATCH_UP = """
            if redis.call('EXISTS', KEYS[1]) == 0 then return {'0', 0, 0} end
            local info = redis.call('XINFO', 'STREAM', KEYS[1])
            local last, added = '0', 0
            for i = 1, #info, 2 do
              if info[i] == 'last-generated-id' then last = string.match(info[i + 1], '^%d+')
              elseif info[i] == 'entries-added' then added = info[i + 1] end
            end
            local since = ARGV[1]
            local ahead = #since > #last or (#since == #last and since > last)
            local entries = redis.call('XREVRANGE', KEYS[1], '+', ahead and '-' or ('(' .. since .. '-0'), 'COUNT', ARGV[2])
            local now = redis.call('TIME')
            local oldest = now[1] * 1000 + math.floor(now[2] / 1000) - tonumber(ARGV[3])
            local budget = tonumber(ARGV[4])
            local result = {last, added, 0}
            for _, entry in ipairs(entries) do
              local payload = entry[2][2]
              if tonumber(entry[2][4]) < oldest then break end
              budget = budget - (#payload - 1)
              if budget < 0 then result[3] = 1 break end
              result[#result + 1] = string.match(entry[1], '^%d+')
              result[#result + 1] = payload
            end
            return result
            """;

    /**
     * What a node missed of a channel since sequence number {@code after}. KEYS: stats hash, then the history stream
     * (history on). ARGV: after, most entries, ttl (ms), most body bytes. Returns {the channel's last sequence number,
     * the first number of its sequence, then sequence number, id and payload of each kept message after {@code after},
     * oldest first}: the newest ones when the bounds cut, so a gap shows as a first number above the one expected.
     * Numbers are "0" when the channel has no sequence.
     */
    static final String RECOVER = """
            local sequence = redis.call('HMGET', KEYS[1], 'seq', 'seq_start')
            local result = {sequence[1] or '0', sequence[2] or '0'}
            if #KEYS < 2 then return result end
            local after = tonumber(ARGV[1])
            local entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[2])
            local now = redis.call('TIME')
            local oldest = now[1] * 1000 + math.floor(now[2] / 1000) - tonumber(ARGV[3])
            local budget = tonumber(ARGV[4])
            local picked = {}
            for _, entry in ipairs(entries) do
              local fields = entry[2]
              local seq = tonumber(fields[6])
              if seq == nil or seq <= after or tonumber(fields[4]) < oldest then break end
              budget = budget - (#fields[2] - 1)
              if budget < 0 then break end
              picked[#picked + 1] = entry
            end
            for i = #picked, 1, -1 do
              result[#result + 1] = picked[i][2][6]
              result[#result + 1] = string.match(picked[i][1], '^%d+')
              result[#result + 1] = picked[i][2][2]
            end
            return result
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
