package io.wsc.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code redis-cli} (Debian package redis-tools), for fixtures that drive what a raw socket cannot easily: cluster
 * creation, multi-line answers such as {@code CLUSTER NODES} or {@code PUBSUB SHARDCHANNELS}.
 */
public final class RedisCli {

    private final String binary;

    private RedisCli(String binary) {
        this.binary = binary;
    }

    /** The installed redis-cli, or empty (the test skips, or fails under {@code -Drequire-system-tests=true}). */
    public static Optional<RedisCli> find() {
        return SystemTool.find("redis-cli (Debian package redis-tools)", List.of("/usr/bin/redis-cli", "redis-cli"),
                "--version").map(RedisCli::new);
    }

    /** One command to the Redis on {@code port}: its answer, trimmed ({@code OK}, {@code 1}, a bulk string...). */
    public String call(int port, String... command) throws IOException, InterruptedException {
        return run(withPort(port, command)).trim();
    }

    /** One command to the Redis on {@code port}: its answer's lines, e.g. the elements of an array. */
    public List<String> lines(int port, String... command) throws IOException, InterruptedException {
        return run(withPort(port, command)).lines().filter(line -> !line.isEmpty()).toList();
    }

    /**
     * redis-cli with these arguments (e.g. {@code --cluster create ...}); its output. Fails when it exits non-zero:
     * a server that does not answer, or (with {@code -e}) an error reply such as {@code CLUSTERDOWN}.
     */
    public String run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary, "-e"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close(); // nothing on stdin: redis-cli would otherwise read arguments from it
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + process.exitValue() + "): " + output);
        }
        return output;
    }

    private static String[] withPort(int port, String... command) {
        List<String> arguments = new ArrayList<>(List.of("-h", "127.0.0.1", "-p", String.valueOf(port)));
        arguments.addAll(List.of(command));
        return arguments.toArray(String[]::new);
    }
}
