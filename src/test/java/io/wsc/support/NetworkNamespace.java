package io.wsc.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Linux network namespace of its own ({@code ip netns}), joined to this host by veth links that a test can cut and
 * heal, so that a process started inside it ({@link #exec}) loses a peer the way a network partition does: no reset, no
 * error, packets just stop arriving. Needs {@code ip} (iproute2) and root: without {@code ip} the test is skipped (or
 * fails under {@code -Drequire-system-tests=true}); without root it is skipped. Everything it made goes at
 * {@link #close}, or when the JVM exits.
 */
public final class NetworkNamespace implements AutoCloseable {

    /**
     * A veth pair: one end on this host, one in the namespace, each with an address of one /30. {@link #cut} takes the
     * host end down: the namespace's end then has no carrier, keeps its route and silently drops what it sends, as a
     * partition does (taking the inner end down would make the kernel there answer "network unreachable" at once).
     */
    public final class Link {

        public final String hostAddress;
        public final String insideAddress;
        private final String hostEnd;
        private final String network;

        private Link(String hostEnd, String network, String hostAddress, String insideAddress) {
            this.hostEnd = hostEnd;
            this.network = network;
            this.hostAddress = hostAddress;
            this.insideAddress = insideAddress;
        }

        public void cut() throws IOException, InterruptedException {
            ip("link", "set", hostEnd, "down");
        }

        public void heal() throws IOException, InterruptedException {
            ip("link", "set", hostEnd, "up");
        }

        /**
         * Aborts this host's TCP connections with the namespace's end ({@code ss -K}); while the link is cut, their
         * resets are lost, so the other end is never told, as when a peer restarts (or a load balancer forgets idle
         * connections) during a partition: only a write of its own will find out.
         */
        public void forgetConnections() throws IOException, InterruptedException {
            run(List.of("ss", "-K", "dst", insideAddress)); // iproute2, as ip
        }
    }

    /** Where a cut link's traffic from this host goes, instead of the default route that would take it off the host. */
    private static final String BLACKHOLE_METRIC = "4242";

    private final String ip;
    public final String name;
    private final List<Link> links = new ArrayList<>();
    private final Thread cleanupAtExit = new Thread(this::close, "network-namespace-cleanup");
    private boolean closed;

    private NetworkNamespace(String ip, String name) {
        this.ip = ip;
        this.name = name;
    }

    /** A new namespace with only {@code lo} (up), or empty when the test cannot make one here. */
    public static Optional<NetworkNamespace> create() throws IOException, InterruptedException {
        Optional<String> ip = SystemTool.find("ip (Debian package iproute2)", List.of("/usr/sbin/ip", "/sbin/ip", "ip"),
                "-V");
        if (ip.isEmpty()) {
            return Optional.empty();
        }
        if (!isRoot()) {
            System.err.println("SKIPPED: network namespaces need root; run the test as root (e.g. in CI's container)");
            return Optional.empty();
        }
        // short: interface names built from it (plus 2 characters) stay within Linux's 15
        String name = "wsc" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0x1000000));
        NetworkNamespace namespace = new NetworkNamespace(ip.get(), name);
        namespace.ip("netns", "add", name);
        Runtime.getRuntime().addShutdownHook(namespace.cleanupAtExit);
        try {
            namespace.ip("-n", name, "link", "set", "lo", "up");
        } catch (IOException | RuntimeException e) {
            namespace.close();
            throw e;
        }
        return Optional.of(namespace);
    }

    /** A new veth link into the namespace, on a /30 of 10.213.0.0/16 that no interface of this host uses yet. */
    public synchronized Link link() throws IOException, InterruptedException {
        String hostEnd = name + "h" + links.size();
        String insideEnd = name + "n" + links.size();
        int block = freeBlock();
        String prefix = "10.213." + (block >> 6) + ".";
        int first = (block & 0x3f) * 4;
        Link link = new Link(hostEnd, prefix + first + "/30", prefix + (first + 1), prefix + (first + 2));
        ip("link", "add", hostEnd, "type", "veth", "peer", "name", insideEnd);
        links.add(link); // from here on, close() removes it
        ip("link", "set", insideEnd, "netns", name);
        ip("addr", "add", link.hostAddress + "/30", "dev", hostEnd);
        ip("link", "set", hostEnd, "up");
        ip("route", "add", "blackhole", link.network, "metric", BLACKHOLE_METRIC);
        ip("-n", name, "addr", "add", link.insideAddress + "/30", "dev", insideEnd);
        ip("-n", name, "link", "set", insideEnd, "up");
        return link;
    }

    /** {@code command} as run inside the namespace. */
    public List<String> exec(String... command) {
        List<String> prefixed = new ArrayList<>(List.of(ip, "netns", "exec", name));
        prefixed.addAll(List.of(command));
        return prefixed;
    }

    /** Removes the links (and their blackhole routes) and the namespace; stop the processes inside it first. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Link link : links) {
            quietly("link", "del", link.hostEnd); // takes the inner end with it
            quietly("route", "del", "blackhole", link.network, "metric", BLACKHOLE_METRIC);
        }
        quietly("netns", "del", name);
        if (Thread.currentThread() != cleanupAtExit) {
            Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
        }
    }

    /** A /30 (its number in 10.213.0.0/16) none of whose addresses this host has: concurrent runs do not meet. */
    private int freeBlock() throws IOException, InterruptedException {
        String inUse = run(List.of(ip, "-o", "-4", "addr"));
        for (int attempt = 0; attempt < 100; attempt++) {
            int block = ThreadLocalRandom.current().nextInt(1 << 14);
            String prefix = "10.213." + (block >> 6) + ".";
            int first = (block & 0x3f) * 4;
            boolean free = true;
            for (int i = 0; i < 4; i++) {
                free &= !inUse.contains(" " + prefix + (first + i) + "/");
            }
            if (free) {
                return block;
            }
        }
        throw new IllegalStateException("no free /30 in 10.213.0.0/16:\n" + inUse);
    }

    private void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ip));
        command.addAll(List.of(args));
        run(command);
    }

    private void quietly(String... args) {
        try {
            ip(args);
        } catch (IOException | RuntimeException e) {
            System.err.println("network namespace cleanup: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the command; fails with its output unless it exits 0. */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /** The owner of /proc/self is this process's user. */
    private static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }
}
