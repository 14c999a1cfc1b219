package io.wsc.support;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.wsc.client.WscClient;

/**
 * A real redis-server and two packaged nodes on it with the Redis broker, for tests of what one node does for the
 * other; closed nodes first. Empty when there is no redis-server (see {@link RedisServer#start}).
 */
public final class RedisNodes implements AutoCloseable {

    public final RedisServer redis;
    public final PackagedServer first;
    public final PackagedServer second;
    private final Map<String, String> env;

    private RedisNodes(RedisServer redis, PackagedServer first, PackagedServer second, Map<String, String> env) {
        this.redis = redis;
        this.first = first;
        this.second = second;
        this.env = env;
    }

    /** A Java client of {@code node}, with the key the nodes were started with. */
    public WscClient client(PackagedServer node) {
        return WscClient.builder().baseUri(node.base()).accessKey(env.get("WSC_ACCESS_KEY")).build();
    }

    /** One more node like the two (the caller closes it), e.g. one a test kills. */
    public PackagedServer startAnother() throws Exception {
        return PackagedServer.startReady(env);
    }

    /** Both nodes with {@code key}, a 1 s heartbeat, and {@code settings} (environment variables) on top. */
    public static Optional<RedisNodes> start(String key, Map<String, String> settings) throws Exception {
        RedisServer redis = RedisServer.start().orElse(null);
        if (redis == null) {
            return Optional.empty();
        }
        Map<String, String> env = new TreeMap<>(Map.of("WSC_ACCESS_KEY", key, "WSC_BROKER", "redis",
                "QUARKUS_REDIS_HOSTS", redis.url(), "WSC_REDIS_HEARTBEAT", "1s"));
        env.putAll(settings);
        PackagedServer first = null;
        try {
            first = PackagedServer.startReady(env);
            return Optional.of(new RedisNodes(redis, first, PackagedServer.startReady(env), Map.copyOf(env)));
        } catch (Exception | AssertionError e) {
            if (first != null) {
                first.close();
            }
            redis.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        first.close();
        second.close();
        redis.close();
    }
}
