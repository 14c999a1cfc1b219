package io.wsc.broker;

/**
 * The presence scripts. Per channel (every key with the channel's hash tag, {@link RedisKeys}): an index of the
 * clients' {@code sub}s (a sorted set with equal scores, so in name order) and a hash {@code sub} -> its {@code info}
 * and one line per node, {@code <node> <connections> <deadline ms>}. Each node writes its own line of each of its
 * clients, with a deadline three heartbeats ahead, and rewrites it every heartbeat; a line past its deadline (its node
 * died, or lost Redis) no longer counts, and whoever reads it removes it.
 * <p>
 * A client is in the hash exactly while the cluster has told the channel's watchers it joined: a script that adds the
 * first live line publishes {@code +<sub>\n<info>} on the channel's presence events, one that finds no live line left
 * publishes {@code -<sub>\n<info>} and removes the client. Each is atomic, so a client with tabs on several nodes
 * joins once and leaves with its last tab, wherever they are.
 */
final class RedisPresenceScripts {

    private RedisPresenceScripts() {
    }

    /** {@code read(value, skip)}: a client's info, its live lines except node {@code skip}'s, their total, and whether dead ones were dropped. */
    static final String READ = """
            local clock = redis.call('TIME')
            local now = clock[1] * 1000 + math.floor(clock[2] / 1000)
            local function read(value, skip)
              local info, lines, live, dropped, first = '', {}, 0, false, true
              for line in (value .. '\\n'):gmatch('(.-)\\n') do
                if first then
                  info, first = line, false
                else
                  local node, count, deadline = string.match(line, '^(%S+) (%d+) (%d+)$')
                  if node and node ~= skip and tonumber(deadline) > now then
                    lines[#lines + 1] = line
                    live = live + tonumber(count)
                  elseif node ~= skip then
                    dropped = true
                  end
                end
              end
              return info, lines, live, dropped
            end
            local function gone(sub, info)
              redis.call('HDEL', KEYS[2], sub)
              redis.call('ZREM', KEYS[1], sub)
              redis.call('PUBLISH', KEYS[3], '-' .. sub .. '\\n' .. info)
            end
            """;

    /**
     * Writes this node's connections of one client to the channel. KEYS: index, clients hash, presence events
     * channel. ARGV: node id, sub, connections (0 removes the node's line), ttl (ms), info. Returns the client's
     * connections cluster-wide.
     */
    static final String WRITE = READ + """
            local sub, count = ARGV[2], tonumber(ARGV[3])
            local value = redis.call('HGET', KEYS[2], sub)
            local info, lines, live = '', {}, 0
            if value then info, lines, live = read(value, ARGV[1]) end
            if count > 0 then
              info = ARGV[5]
              lines[#lines + 1] = ARGV[1] .. ' ' .. count .. ' ' .. string.format('%d', now + tonumber(ARGV[4]))
              live = live + count
            end
            if live == 0 then
              if value then gone(sub, info) end
              return 0
            end
            redis.call('HSET', KEYS[2], sub, info .. '\\n' .. table.concat(lines, '\\n'))
            redis.call('ZADD', KEYS[1], 0, sub)
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('PEXPIRE', KEYS[2], ARGV[4])
            if not value then redis.call('PUBLISH', KEYS[3], '+' .. sub .. '\\n' .. info) end
            return live
            """;

    /**
     * Lists the channel's clients by {@code sub}, after {@code cursor}, at most {@code limit}; removes what it finds
     * dead on the way (a client with no live line left leaves). KEYS: as {@link #WRITE}. ARGV: cursor ({@code ""}:
     * from the start), limit. Returns {the last sub looked at when the limit stopped it ({@code ""}: the end was
     * reached), then sub, connections and info of each live client}.
     */
    static final String LIST = READ + """
            local limit, cursor = tonumber(ARGV[2]), ARGV[1]
            local result, found = {''}, 0
            while true do
              local subs = redis.call('ZRANGEBYLEX', KEYS[1], cursor == '' and '-' or '(' .. cursor, '+', 'LIMIT', 0, 64)
              if #subs == 0 then return result end
              for _, sub in ipairs(subs) do
                if found == limit then
                  result[1] = cursor
                  return result
                end
                cursor = sub
                local value = redis.call('HGET', KEYS[2], sub)
                if not value then
                  redis.call('ZREM', KEYS[1], sub)
                else
                  local info, lines, live, dropped = read(value, '')
                  if live == 0 then
                    gone(sub, info)
                  else
                    if dropped then redis.call('HSET', KEYS[2], sub, info .. '\\n' .. table.concat(lines, '\\n')) end
                    result[#result + 1] = sub
                    result[#result + 1] = live
                    result[#result + 1] = info
                    found = found + 1
                  end
                end
              end
            end
            """;
}
