package io.wsc.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The fixture does what the broker tests rely on: a failover and a killed master really move the master to the other
 * node, writes go there afterwards, and the killed node comes back as the new master's replica.
 */
class RedisSentinelGroupIT {

    @Test
    void failoverAndKilledMasterMoveTheMaster() throws Exception {
        RedisSentinelGroup group = RedisSentinelGroup.start("fixture").orElse(null);
        assumeTrue(group != null, "no redis-server, redis-sentinel or redis-cli");
        try (group) {
            int first = group.masterPort();
            int second = group.replicaPort();
            assertNotEquals(first, second);
            assertEquals("OK", RedisCli.call(first, "SET", "before", "1"));

            group.failover();
            assertEquals(second, group.masterPort());
            assertEquals("master", RedisCli.lines(second, "ROLE").get(0));
            assertEquals("1", RedisCli.call(second, "GET", "before"), "the replica had the master's data");
            group.awaitSteady();
            assertEquals(List.of("slave", "127.0.0.1", String.valueOf(second)),
                    RedisCli.lines(first, "ROLE").subList(0, 3), "the old master was demoted");

            group.killMaster();
            assertEquals(first, group.masterPort(), "the demoted one is promoted again");
            assertEquals("master", RedisCli.lines(first, "ROLE").get(0));
            assertNotEquals(0, RedisCli.run(second, "PING").exitCode(), "the killed master is gone");

            group.restartKilled();
            assertEquals(first, group.masterPort());
            assertEquals(second, group.replicaPort());
            assertEquals("slave", RedisCli.lines(second, "ROLE").get(0));
        }
    }
}
