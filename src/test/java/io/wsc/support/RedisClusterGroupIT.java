package io.wsc.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fixture itself: three masters sharing the slots, the owner of a key found, one killed and started again. */
class RedisClusterGroupIT {

    private RedisClusterGroup cluster;

    @AfterEach
    void stop() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeMastersShareTheSlotsAndOneComesBackAfterAKill() throws Exception {
        cluster = RedisClusterGroup.start().orElse(null);
        assumeTrue(cluster != null, "no redis-server or redis-cli");
        List<Integer> ports = cluster.ports();
        assertEquals(3, ports.size());
        assertEquals("redis://127.0.0.1:" + ports.get(0) + ",redis://127.0.0.1:" + ports.get(1) + ",redis://127.0.0.1:"
                + ports.get(2), cluster.hosts());

        Map<Integer, String> keyOn = keyOnEachMaster();
        for (Map.Entry<Integer, String> owned : keyOn.entrySet()) {
            assertEquals(List.of("OK"), cluster.command(owned.getKey(), "SET", owned.getValue(), "v"));
            int other = ports.get((ports.indexOf(owned.getKey()) + 1) % 3);
            // a master that does not own the slot redirects: portOf named the right one
            IllegalStateException moved = assertThrows(IllegalStateException.class, () -> cluster.command(other, "SET", owned.getValue(), "v"));
            assertTrue(moved.getMessage().contains("MOVED"), moved.getMessage());
        }

        int victim = ports.get(1);
        int witness = ports.get(0);
        cluster.kill(victim);
        await().atMost(Duration.ofSeconds(15)).until(() -> "fail".equals(cluster.state(witness)));
        IllegalStateException down = assertThrows(IllegalStateException.class, () -> cluster.command(witness, "SET", keyOn.get(witness), "v"));
        assertTrue(down.getMessage().contains("CLUSTERDOWN"), "no write while a slot has no master: " + down.getMessage());

        cluster.restart(victim);
        assertEquals(victim, cluster.portOf(keyOn.get(victim)), "the same slots, from its nodes.conf");
        assertEquals(List.of("OK"), cluster.command(victim, "SET", keyOn.get(victim), "v"));
        assertTrue(cluster.command(victim, "GET", keyOn.get(victim)).contains("v"));
    }

    /** Tries keys until each master owns one: port -> key. */
    private Map<Integer, String> keyOnEachMaster() throws Exception {
        Map<Integer, String> keyOn = new HashMap<>();
        for (int i = 0; keyOn.size() < 3; i++) {
            assertTrue(i < 100, "100 keys and still a master without one: " + keyOn);
            keyOn.putIfAbsent(cluster.portOf("key-" + i), "key-" + i);
        }
        return keyOn;
    }
}
