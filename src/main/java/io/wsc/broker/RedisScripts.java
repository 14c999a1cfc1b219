package io.wsc.broker;

/**
 * Lua scripts, so a publish or a stats request is one atomic round trip on one slot (every key of a channel shares its
 * hash tag, {@link RedisKeys}). Peers are summed over the nodes whose entry in the peers hash has not expired: each
 * node rewrites its entries every heartbeat, so a node that died stops counting once its last deadline passed.
 */
final class RedisScripts {

    private RedisScripts() {
    }

    /** Redis's clock in ms, as {@code now}: every deadline of a channel is read and written on the same shard's clock. */
    static final String NOW = """
            local clock = redis.call('TIME')
            local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
            """;

    /**
     * After {@link #NOW}: refuses a publish that arrives after its deadline (the last ARGV, Redis's clock in ms, 0 for
     * none), before it writes anything. Its node has answered 503 by then, or is about to ({@link RedisClock}).
     */
    private static final String DEADLINE = """
            local deadline = tonumber(ARGV[#ARGV])
            if deadline > 0 and now > deadline then
              return redis.error_reply('LATE the publish reached Redis after its node gave up on it')
            end
            """;

    /** Sums the peers of live nodes (KEYS[2]) into {@code total}. */
    static final String LIVE_PEERS = """
            local peers = redis.call('HGETALL', KEYS[2])
            local total = 0
            for i = 2, #peers, 2 do
              local count, deadline = string.match(peers[i], '^(%d+):(%d+)$')
              if count and tonumber(deadline) > now then total = total + tonumber(count) end
            end
            """;

    /**
     * After {@link #NOW}: the message's sequence number in its channel ({@code seq}), from the stats hash (KEYS[3]):
     * consecutive, so a node that sees a number skipped knows it missed a message. A new sequence (first publish, or
     * Redis lost its data) starts from Redis's clock in ms x 1000, above any number of an earlier one, so a node that
     * knew the old one sees a hole rather than numbers it takes for duplicates; its first number is kept
     * ({@code seq_start}). The {@code stamp} (Redis's clock in microseconds) tells two messages with the same number
     * apart: after a failover to a replica that had not yet received the last ones, numbers are given again.
     */
    private static final String SEQUENCE = """
            local seq = redis.call('HINCRBY', KEYS[3], 'seq', 1)
            if seq == 1 then
              seq = now * 1000 + 1
              redis.call('HSET', KEYS[3], 'seq', string.format('%d', seq), 'seq_start', string.format('%d', seq))
            end
            seq = string.format('%d', seq)
            local stamp = clock[1] .. string.format('%06d', tonumber(clock[2]))
            redis.call('HSET', KEYS[3], 'stamp', stamp)
            """;

    /** Counts the message in the stats hash (KEYS[3]): the bytes are its body length (ARGV[2]) times {@code total}. */
    private static final String COUNT = LIVE_PEERS + """
            redis.call('HINCRBY', KEYS[3], 'messages', 1)
            redis.call('HINCRBY', KEYS[3], 'bytes', total * tonumber(ARGV[2]))
            """;

    /**
     * KEYS: pub/sub channel, peers hash, stats hash. ARGV: payload, body length, deadline ({@link #DEADLINE}).
     * Returns recipients. The pub/sub copy starts with {@code #<seq>:0:<stamp> } (no id: history is off).
     */
    static final String PUBLISH = NOW + DEADLINE + SEQUENCE + "redis.call('PUBLISH', KEYS[1], '#' .. seq .. ':0:' .. stamp .. ' ' .. ARGV[1])\n"
            + COUNT + "return total\n";

    /**
     * Publish with history. KEYS: as {@link #PUBLISH}, then the history stream. ARGV: payload, body length, the most
     * entries kept, the stream key's ttl (ms), deadline. Returns {recipients, id}. The pub/sub copy starts with
     * {@code #<seq>:<id>:<stamp> }; the kept one (field {@code m}) is the plain payload, next to its time (ms), its
     * sequence number and its stamp.
     * <p>
     * The id is the stream's last one plus one, so ids of a channel are consecutive while its stream lives. A new
     * stream (first publish, after it expired, or after Redis lost its data) starts from Redis's clock in ms x 1000:
     * above every id of an earlier stream (Redis does far fewer than 1000 publishes per ms), so a subscriber resuming
     * from an old id is told about the gap instead of silently skipping the new sequence's first ids. Lua numbers are
     * doubles: such ids (about 1.8e15) stay exact, and string.format('%d') writes them without an exponent.
     */
    static final String PUBLISH_KEPT = NOW + DEADLINE + SEQUENCE + """
            local top = redis.call('XREVRANGE', KEYS[4], '+', '-', 'COUNT', 1)
            local id = #top == 0 and now * 1000 + 1 or tonumber(string.match(top[1][1], '^%d+')) + 1
            id = string.format('%d', id)
            redis.call('XADD', KEYS[4], 'MAXLEN', ARGV[3], id .. '-0', 'm', ARGV[1], 't', string.format('%d', now), 's', seq, 'u', stamp)
            redis.call('PEXPIRE', KEYS[4], ARGV[4])
            redis.call('PUBLISH', KEYS[1], '#' .. seq .. ':' .. id .. ':' .. stamp .. ' ' .. ARGV[1])
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
     * (history on). ARGV: after, the stamp of the message numbered {@code after} as the node got it (0: unknown), then
     * most entries, ttl (ms), most body bytes. Returns {the channel's last sequence number, the first number of its
     * sequence, forked, then sequence number, id, payload and stamp of each kept message after {@code after}, oldest
     * first}: the newest ones when the bounds cut, so a gap shows as a first number above the one expected. Numbers
     * are "0" when the channel has no sequence. Forked is 1 when the message numbered {@code after} here is not the
     * node's (a replica took over before it had the last messages, and gave their numbers again), or cannot be checked.
     */
    static final String RECOVER = """
            local sequence = redis.call('HMGET', KEYS[1], 'seq', 'seq_start', 'stamp')
            local last, after, stamp = sequence[1] or '0', tonumber(ARGV[1]), ARGV[2]
            local checked = stamp == '0' or tonumber(last) ~= after or sequence[3] == stamp
            local result = {last, sequence[2] or '0', 0}
            if #KEYS < 2 then
              result[3] = checked and 0 or 1
              return result
            end
            checked = checked and (stamp == '0' or tonumber(last) == after)
            local entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[3] + 1)
            local now = redis.call('TIME')
            local oldest = now[1] * 1000 + math.floor(now[2] / 1000) - tonumber(ARGV[4])
            local budget = tonumber(ARGV[5])
            local picked = {}
            for _, entry in ipairs(entries) do
              local fields = entry[2]
              local seq = tonumber(fields[6])
              if seq == nil or seq < after then break end
              if seq == after then
                checked = stamp == '0' or fields[8] == stamp
                break
              end
              budget = budget - (#fields[2] - 1)
              if #picked == tonumber(ARGV[3]) or tonumber(fields[4]) < oldest or budget < 0 then break end
              picked[#picked + 1] = entry
            end
            result[3] = checked and 0 or 1
            for i = #picked, 1, -1 do
              local fields = picked[i][2]
              result[#result + 1] = fields[6]
              result[#result + 1] = string.match(picked[i][1], '^%d+')
              result[#result + 1] = fields[2]
              result[#result + 1] = fields[8]
            end
            return result
            """;

    /** KEYS: stats hash, peers hash. Returns {peers, messages, bytes}; forgets the entries of dead nodes. */
    static final String STATS = NOW + """
            local peers = redis.call('HGETALL', KEYS[2])
            local total = 0
            for i = 1, #peers, 2 do
              local count, deadline = string.match(peers[i + 1], '^(%d+):(%d+)$')
              if count and tonumber(deadline) > now then total = total + tonumber(count)
              else redis.call('HDEL', KEYS[2], peers[i]) end
            end
            local sent = redis.call('HMGET', KEYS[1], 'messages', 'bytes')
            return {total, tonumber(sent[1]) or 0, tonumber(sent[2]) or 0}
            """;

    /**
     * Writes this node's subscriber count of a channel, counted for the next ttl ms by Redis's clock; 0 removes it.
     * KEYS: peers hash. ARGV: node id, count, ttl (ms).
     */
    static final String WRITE_PEERS = NOW + """
            if ARGV[2] == '0' then return redis.call('HDEL', KEYS[1], ARGV[1]) end
            return redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. string.format('%d', now + tonumber(ARGV[3])))
            """;

    /**
     * Publishes a request to every node (the control channel): a script, so that Redis Cluster routes it by its key and
     * {@link RedisPubSub#script} can make it a sharded publish. KEYS: control channel. ARGV: payload.
     */
    static final String CONTROL = "return redis.call('PUBLISH', KEYS[1], ARGV[1])\n";
}
