package io.wsc.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * A Redis Sentinel group on free ports: a master, one replica and three {@code redis-sentinel} processes (quorum 2,
 * a master is down after 1 s of silence), as a small production deployment runs it. A test fails the master over,
 * or kills it, and the sentinels promote the replica; it can then start the killed one again as the new replica.
 * Missing redis-server, redis-sentinel or redis-cli: the test skips, or fails under {@code -Drequire-system-tests=true}.
 */
public final class RedisSentinelGroup implements AutoCloseable {

    private static final int SENTINELS = 3;
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final String masterName;
    private final String sentinelBinary;
    private final Path dir;
    /** Both data nodes, by port; which one is master changes. */
    private final Map<Integer, RedisServer> nodes = new HashMap<>();
    private final List<Integer> sentinelPorts = new ArrayList<>();
    private final List<Process> sentinels = new ArrayList<>();
    private RedisServer killed;

    private RedisSentinelGroup(String masterName, String sentinelBinary, Path dir) {
        this.masterName = masterName;
        this.sentinelBinary = sentinelBinary;
        this.dir = dir;
    }

    /** A started group whose sentinels know its master, replica and each other; empty when a tool is missing. */
    public static Optional<RedisSentinelGroup> start(String masterName) throws IOException, InterruptedException {
        Optional<String> sentinel = SystemTool.find("redis-sentinel (Debian package redis-sentinel)",
                List.of("/usr/bin/redis-sentinel", "redis-sentinel"), "--version");
        if (sentinel.isEmpty() || !RedisCli.available()) {
            return Optional.empty();
        }
        Optional<RedisServer> master = RedisServer.start();
        if (master.isEmpty()) {
            return Optional.empty();
        }
        RedisSentinelGroup group = new RedisSentinelGroup(masterName, sentinel.get(),
                Files.createTempDirectory("redis-sentinel"));
        try {
            group.nodes.put(master.get().port, master.get());
            RedisServer replica = RedisServer.startReplicaOf(master.get().port).orElseThrow();
            group.nodes.put(replica.port, replica);
            for (int i = 0; i < SENTINELS; i++) {
                group.startSentinel(master.get().port);
            }
            group.awaitSteady();
            return Optional.of(group);
        } catch (IOException | InterruptedException | RuntimeException e) {
            group.close();
            throw e;
        }
    }

    private void startSentinel(int masterPort) throws IOException, InterruptedException {
        int port = PackagedServer.freePort();
        Path config = dir.resolve("sentinel-" + port + ".conf"); // sentinels rewrite it: it must be their own
        Files.writeString(config, String.join("\n", "port " + port, "bind 127.0.0.1", "dir " + dir,
                "sentinel resolve-hostnames no",
                "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 2",
                "sentinel down-after-milliseconds " + masterName + " 1000",
                "sentinel failover-timeout " + masterName + " 6000", ""));
        sentinels.add(new ProcessBuilder(sentinelBinary, config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sentinel-" + port + ".log").toFile()).start());
        sentinelPorts.add(port);
        await("sentinel on " + port + " answers", () -> "PONG".equals(RedisCli.tryCall(port, "PING").orElse("")));
    }

    /** For {@code quarkus.redis.hosts} with {@code quarkus.redis.client-type=sentinel}. */
    public String sentinelHosts() {
        return sentinelPorts.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    public String masterName() {
        return masterName;
    }

    /** The master's port as the first sentinel that answers reports it now; 0 when none does. */
    public int masterPort() {
        return sentinelPorts.stream().mapToInt(this::masterSeenBy).filter(port -> port > 0).findFirst().orElse(0);
    }

    private int masterSeenBy(int sentinel) {
        List<String> address = RedisCli.lines(sentinel, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName);
        return address.size() == 2 ? Integer.parseInt(address.get(1)) : 0;
    }

    /** The data node that is not the master now. */
    public int replicaPort() {
        int master = masterPort();
        return nodes.keySet().stream().filter(port -> port != master).findFirst().orElseThrow();
    }

    /**
     * {@code SENTINEL FAILOVER}: returns once every sentinel reports the replica as master. The old master is still a
     * master for several seconds then (until a sentinel demotes it); {@link #awaitSteady} waits for that too.
     */
    public void failover() throws InterruptedException {
        awaitSteady();
        int before = masterPort();
        RedisCli.call(sentinelPorts.get(0), "SENTINEL", "FAILOVER", masterName);
        awaitMasterOtherThan(before);
    }

    /** SIGKILL of the master; returns once every sentinel reports the replica promoted in its place. */
    public void killMaster() throws InterruptedException {
        awaitSteady();
        int before = masterPort();
        killed = nodes.get(before);
        killed.kill();
        awaitMasterOtherThan(before);
    }

    /** Starts the node {@link #killMaster} killed again, on its port, as a replica of the new master. */
    public void restartKilled() throws IOException, InterruptedException {
        killed.startAgainAsReplicaOf(masterPort());
        killed = null;
        awaitSteady();
    }

    /**
     * Waits until every sentinel agrees on the master and sees the other node as a healthy replica, its link to the
     * master up, and the sentinels know each other: a failover can work then.
     */
    public void awaitSteady() throws InterruptedException {
        await("a steady group: master, one replica in sync, sentinels that know both and each other", () -> {
            int master = masterPort();
            int replica = replicaPort();
            List<String> role = RedisCli.lines(replica, "ROLE");
            return master > 0 && role.size() >= 4 && role.get(0).equals("slave")
                    && role.get(2).equals(String.valueOf(master)) && role.get(3).equals("connected")
                    && sentinelPorts.stream().allMatch(sentinel -> masterSeenBy(sentinel) == master
                            && replicaFlags(sentinel, replica).equals("slave")
                            && RedisCli.lines(sentinel, "SENTINEL", "SENTINELS", masterName).stream()
                                    .filter("name"::equals).count() == SENTINELS - 1);
        });
    }

    /** The flags a sentinel has for the replica on {@code port} ({@code slave} when healthy), "" when it has none. */
    private String replicaFlags(int sentinel, int port) {
        List<String> fields = RedisCli.lines(sentinel, "SENTINEL", "REPLICAS", masterName);
        String name = "127.0.0.1:" + port;
        for (int i = 0; i + 1 < fields.size(); i += 2) { // key, value, key, value, ...; each replica starts at "name"
            if (fields.get(i).equals("name") && fields.get(i + 1).equals(name)) {
                for (int j = i + 2; j + 1 < fields.size() && !fields.get(j).equals("name"); j += 2) {
                    if (fields.get(j).equals("flags")) {
                        return fields.get(j + 1);
                    }
                }
            }
        }
        return "";
    }

    private void awaitMasterOtherThan(int before) throws InterruptedException {
        await("every sentinel reports a new master instead of " + before, () -> sentinelPorts.stream()
                .allMatch(sentinel -> {
                    int master = masterSeenBy(sentinel);
                    return master > 0 && master != before;
                }));
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("waited " + PATIENCE.toSeconds() + " s for " + what + "; logs in "
                        + dir);
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process sentinel : sentinels) {
            sentinel.destroy();
            if (!sentinel.waitFor(5, TimeUnit.SECONDS)) {
                sentinel.destroyForcibly().waitFor();
            }
        }
        for (RedisServer node : nodes.values()) {
            node.close();
        }
    }
}
