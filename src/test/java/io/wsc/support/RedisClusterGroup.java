package io.wsc.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of three masters without replicas or persistence, on free ports of 127.0.0.1, that a test can ask
 * which master owns a key, and whose masters it can kill and start again. A restarted master has lost its data but
 * keeps its {@code nodes.conf}, so it rejoins with the same slots. Missing redis-server or redis-cli: the test skips, or
 * fails under {@code -Drequire-system-tests=true}.
 */
public final class RedisClusterGroup implements AutoCloseable {

    /** A node's cluster bus listens on its port + 10000: both must be free. */
    private static final int BUS_OFFSET = 10_000;
    /**
     * How long a silent master takes to be marked failed (Redis's default is 15 s). Long enough for a loaded machine
     * not to fail a live one, short enough for a test to see CLUSTERDOWN come and go.
     */
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);

    private final String server;
    private final Path dir;
    private final Map<Integer, Process> masters = new LinkedHashMap<>();

    private RedisClusterGroup(String server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /** Three masters, every slot assigned and {@code cluster_state:ok} on each; empty when Redis is not installed. */
    public static Optional<RedisClusterGroup> start() throws IOException, InterruptedException {
        Optional<String> server = SystemTool.find("redis-server (Debian package redis-server)",
                List.of("/usr/bin/redis-server", "redis-server"), "--version");
        if (server.isEmpty() || !RedisCli.available()) {
            return Optional.empty();
        }
        RedisClusterGroup group = new RedisClusterGroup(server.get(), Files.createTempDirectory("redis-cluster"));
        try {
            for (int i = 0; i < 3; i++) {
                group.launch(freeNodePort(group.masters.keySet()));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            group.ports().forEach(port -> create.add("127.0.0.1:" + port));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            RedisCli.call(group.ports().get(0), create.toArray(String[]::new));
            group.awaitHealthy();
        } catch (IOException | RuntimeException | InterruptedException e) {
            group.close();
            throw e;
        }
        return Optional.of(group);
    }

    /** For {@code QUARKUS_REDIS_HOSTS}: every master, comma-separated. */
    public String hosts() {
        return ports().stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    public List<Integer> ports() {
        return List.copyOf(masters.keySet());
    }

    /** The port of the master that owns the key's slot, as the cluster sees it now. */
    public int portOf(String key) throws IOException, InterruptedException {
        int asking = livePort();
        int slot = Integer.parseInt(RedisCli.call(asking, "CLUSTER", "KEYSLOT", key));
        // CLUSTER NODES: <id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot or range>...
        for (String node : RedisCli.lines(asking, "CLUSTER", "NODES")) {
            String[] fields = node.split(" ");
            for (int i = 8; i < fields.length; i++) {
                if (fields[2].contains("master") && covers(fields[i], slot)) {
                    return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
                }
            }
        }
        throw new IllegalStateException("no master owns slot " + slot + " of " + key);
    }

    /**
     * One command to the master on {@code port}, through redis-cli: its answer's lines. An error reply (MOVED,
     * CLUSTERDOWN...) is an {@link IllegalStateException} that quotes it.
     */
    public List<String> command(int port, String... command) {
        return RedisCli.call(port, command).lines().filter(line -> !line.isEmpty()).toList();
    }

    /** Kills the master with SIGKILL, as a crash would; the others mark it failed after the node timeout. */
    public void kill(int port) throws InterruptedException {
        masters.get(port).destroyForcibly().waitFor();
    }

    /** Starts a killed master again (empty, same slots) and waits until the whole cluster is ok again. */
    public void restart(int port) throws IOException, InterruptedException {
        launch(port);
        awaitHealthy();
    }

    /** Waits until every master answers and says {@code cluster_state:ok}. */
    public void awaitHealthy() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(HEALTHY_WITHIN);
        while (!ports().stream().allMatch(this::saysOk)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the cluster is not ok within " + HEALTHY_WITHIN + ":\n" + logs());
            }
            Thread.sleep(100);
        }
    }

    /** {@code cluster_state} as the master on {@code port} says it, e.g. {@code ok} or {@code fail}; null if dead. */
    public String state(int port) {
        return RedisCli.lines(port, "CLUSTER", "INFO").stream().filter(line -> line.startsWith("cluster_state:"))
                .map(line -> line.substring("cluster_state:".length()).trim()).findFirst().orElse(null);
    }

    /** Every master's log, for a failure message. */
    public String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (int port : ports()) {
            all.append("--- redis ").append(port).append('\n').append(Files.readString(log(port)));
        }
        return all.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process master : masters.values()) {
            master.destroy();
        }
        for (Process master : masters.values()) {
            if (!master.waitFor(10, TimeUnit.SECONDS)) {
                master.destroyForcibly().waitFor();
            }
        }
    }

    private boolean saysOk(int port) {
        return "ok".equals(state(port));
    }

    private void launch(int port) throws IOException, InterruptedException {
        Process master = new ProcessBuilder(server, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
                "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT.toMillis()), "--save", "", "--appendonly", "no",
                "--dir", dir.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(port).toFile())).start();
        masters.put(port, master);
        Instant deadline = Instant.now().plusSeconds(10);
        while (!answers(port)) {
            if (!master.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("redis-server " + port + " did not start:\n" + Files.readString(log(port)));
            }
            Thread.sleep(50);
        }
    }

    private boolean answers(int port) throws InterruptedException {
        return RedisCli.tryCall(port, "PING").filter("PONG"::equals).isPresent();
    }

    private int livePort() {
        return masters.entrySet().stream().filter(master -> master.getValue().isAlive()).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new IllegalStateException("every master is dead"));
    }

    private Path log(int port) {
        return dir.resolve("redis-" + port + ".log");
    }

    /** {@code 0-5460} or {@code 42} covers the slot; {@code [42->-id]} (a slot being moved) does not count. */
    private static boolean covers(String slots, int slot) {
        if (slots.startsWith("[")) {
            return false;
        }
        int dash = slots.indexOf('-');
        int from = Integer.parseInt(dash < 0 ? slots : slots.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(slots.substring(dash + 1));
        return from <= slot && slot <= to;
    }

    /**
     * A port whose bus port is free too; both below the kernel's ephemeral range (32768 up), so no client socket of
     * another test takes one of them meanwhile.
     */
    private static int freeNodePort(Set<Integer> taken) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(10_000, 22_000);
            if (!taken.contains(port) && isFree(port) && isFree(port + BUS_OFFSET)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port pair (port, port + " + BUS_OFFSET + ") found");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
