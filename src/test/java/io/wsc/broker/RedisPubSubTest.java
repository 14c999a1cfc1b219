package io.wsc.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Redis Cluster gets sharded pub/sub in every publish script; the other client types keep plain pub/sub. */
class RedisPubSubTest {

    @Test
    void onlyTheClusterClientTypeIsSharded() {
        assertEquals(RedisPubSub.SHARDED, RedisPubSub.forClientType("cluster"));
        assertEquals(RedisPubSub.SHARDED, RedisPubSub.forClientType("CLUSTER"));
        assertEquals(RedisPubSub.PLAIN, RedisPubSub.forClientType("standalone"));
        assertEquals(RedisPubSub.PLAIN, RedisPubSub.forClientType("sentinel"));
    }

    @Test
    void shardedScriptsPublishWithSpublishOnly() {
        for (String script : new String[] { RedisScripts.PUBLISH, RedisScripts.PUBLISH_KEPT }) {
            String sharded = RedisPubSub.SHARDED.script(script);
            assertTrue(sharded.contains("redis.call('SPUBLISH', KEYS[1],"), sharded);
            assertFalse(sharded.contains("redis.call('PUBLISH',"), sharded);
            assertEquals(script, RedisPubSub.PLAIN.script(script));
        }
    }
}
