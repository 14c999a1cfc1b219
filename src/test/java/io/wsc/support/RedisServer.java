package io.wsc.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian package redis-server) on a free port, without persistence or with an
 * append-only file synced on every write, that a test can stop, kill and start again on the same port. Missing: the
 * test skips, or fails under {@code -Drequire-system-tests=true}.
 */
public final class RedisServer implements AutoCloseable {

    private final String binary;
    public final int port;
    private final Path log;
    /** Where the append-only file goes; null without persistence. */
    private final Path dataDir;
    /** Addresses it listens on besides 127.0.0.1 (e.g. a network namespace's link), for clients elsewhere. */
    private final List<String> alsoOn;
    /** The port of the master this server replicates ({@code --replicaof}); 0 when it starts as a master. */
    private int replicaOf;
    private Process process;

    private RedisServer(String binary, int port, Path log, Path dataDir, List<String> alsoOn) {
        this.binary = binary;
        this.port = port;
        this.log = log;
        this.dataDir = dataDir;
        this.alsoOn = alsoOn;
    }

    /** A started server without persistence, or empty when redis-server is not installed. */
    public static Optional<RedisServer> start() throws IOException, InterruptedException {
        return start(false, List.of());
    }

    /** A started server without persistence that also listens on {@code address}: see {@link #url(String)}. */
    public static Optional<RedisServer> startAlsoOn(String address) throws IOException, InterruptedException {
        return start(false, List.of(address));
    }

    /** A started server that keeps every write in an append-only file (fsync always), so it survives a kill. */
    public static Optional<RedisServer> startPersistent() throws IOException, InterruptedException {
        return start(true, List.of());
    }

    /** A started server without persistence that replicates the one on {@code masterPort} (a Sentinel group's replica). */
    public static Optional<RedisServer> startReplicaOf(int masterPort) throws IOException, InterruptedException {
        return start(false, List.of(), masterPort);
    }

    private static Optional<RedisServer> start(boolean persistent, List<String> alsoOn)
            throws IOException, InterruptedException {
        return start(persistent, alsoOn, 0);
    }

    private static Optional<RedisServer> start(boolean persistent, List<String> alsoOn, int replicaOf)
            throws IOException, InterruptedException {
        Optional<String> binary = SystemTool.find("redis-server (Debian package redis-server)",
                List.of("/usr/bin/redis-server", "redis-server"), "--version");
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        RedisServer server = new RedisServer(binary.get(), PackagedServer.freePort(),
                Files.createTempFile("redis-server", ".log"),
                persistent ? Files.createTempDirectory("redis-data") : null, alsoOn);
        server.replicaOf = replicaOf;
        server.startAgain();
        return Optional.of(server);
    }

    /** For {@code quarkus.redis.hosts}. */
    public String url() {
        return url("127.0.0.1");
    }

    /** For {@code quarkus.redis.hosts}, at one of the addresses it listens on. */
    public String url(String address) {
        return "redis://" + address + ":" + port;
    }

    /** Starts the server again on its port, now as a replica of the one on {@code masterPort} (after a failover). */
    public void startAgainAsReplicaOf(int masterPort) throws IOException, InterruptedException {
        replicaOf = masterPort;
        startAgain();
    }

    /** Starts the server again on its port, in the role it last started with. */
    public void startAgain() throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(binary, "--port", String.valueOf(port), "--bind",
                ("127.0.0.1 " + String.join(" ", alsoOn)).trim(), "--save", ""));
        if (!alsoOn.isEmpty()) {
            // Protected mode refuses clients that do not come from loopback when there is no password.
            command.addAll(List.of("--protected-mode", "no"));
        }
        command.addAll(dataDir == null ? List.of("--appendonly", "no")
                : List.of("--appendonly", "yes", "--appendfsync", "always", "--dir", dataDir.toString()));
        if (replicaOf > 0) {
            command.addAll(List.of("--replicaof", "127.0.0.1", String.valueOf(replicaOf)));
        }
        if (dataDir == null) { // a replica's full sync writes dump.rdb there: not in the working directory
            command.addAll(List.of("--dir", log.getParent().toString(), "--dbfilename", log.getFileName() + ".rdb"));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Instant deadline = Instant.now().plusSeconds(10);
        while (!"+PONG".equals(command("PING"))) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("redis-server did not start:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

    /** Stops the server (its data is gone, as after a crash of a Redis without persistence). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /** Kills the server with SIGKILL, as a crash or an OOM kill would: no goodbye, no last write. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Sends one inline command and returns the first line of the answer, or null when nothing answers. */
    public String command(String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
            socket.getOutputStream().write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = socket.getInputStream().read()) != -1 && c != '\r') {
                line.append((char) c);
            }
            return line.toString();
        } catch (IOException e) {
            return null;
        }
    }

    /** Clients connected to Redis right now, besides the one asking. */
    public int otherClients() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("INFO clients\r\n".getBytes(StandardCharsets.UTF_8));
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("connected_clients:")) {
                    return Integer.parseInt(line.substring("connected_clients:".length()).trim()) - 1;
                }
            }
            throw new IOException("INFO clients without connected_clients");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
