package io.wsc.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code redis-cli} (Debian package redis-tools) against one port on 127.0.0.1, for the commands a test drives
 * sentinels, replicas and cluster nodes with ({@code SENTINEL FAILOVER}, {@code ROLE}, {@code --cluster create}, ...). Its raw output (not a terminal) puts
 * each element of a reply on its own line, which is all these tests need to read.
 */
public final class RedisCli {

    private static volatile String binary;

    private RedisCli() {
    }

    /** What one run printed, and its exit code (1 when nothing answered on the port). */
    public record Answer(int exitCode, String output) {

        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Whether redis-cli is installed; false means skip (or fail, under {@code -Drequire-system-tests=true}). */
    public static boolean available() {
        if (binary == null) {
            binary = SystemTool.find("redis-cli (Debian package redis-tools)", List.of("/usr/bin/redis-cli",
                    "redis-cli"), "--version").orElse(null);
        }
        return binary != null;
    }

    /** Runs one command and returns what it printed, whatever it was; a run that hangs counts as no answer. */
    public static Answer run(int port, String... args) {
        if (!available()) {
            throw new IllegalStateException("redis-cli is not installed");
        }
        // -e: an error reply (ERR, MOVED, CLUSTERDOWN...) makes the exit code non-zero
        List<String> command = new ArrayList<>(List.of(binary, "-e", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        try {
            // to a file, not a pipe: a server that accepts but never answers must not hang the test on a read
            Path output = Files.createTempFile("redis-cli", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                boolean exited = process.waitFor(10, TimeUnit.SECONDS);
                if (!exited) {
                    process.destroyForcibly().waitFor();
                }
                return new Answer(exited ? process.exitValue() : -1, Files.readString(output).trim());
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, e.toString());
        }
    }

    /** The reply of one command; fails when nothing answered or Redis answered with an error. */
    public static String call(int port, String... args) {
        Answer answer = run(port, args);
        if (!answer.ok()) {
            throw new IllegalStateException("redis-cli -p " + port + " " + String.join(" ", args) + ": "
                    + answer.output());
        }
        return answer.output();
    }

    /** The reply's elements, one per line; empty when nothing answered or Redis answered with an error. */
    public static List<String> lines(int port, String... args) {
        Answer answer = run(port, args);
        return answer.ok() ? answer.output().lines().toList() : List.of();
    }

    /** The reply, or empty when nothing answered or Redis answered with an error. */
    public static Optional<String> tryCall(int port, String... args) {
        Answer answer = run(port, args);
        return answer.ok() ? Optional.of(answer.output()) : Optional.empty();
    }
}
