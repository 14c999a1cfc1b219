package io.wsc.load;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The load and soak harness: N subscribers over C channels, a steady publishing rate for a duration, then a report
 * of lost and duplicated messages, latency, and the server's memory, CPU and open files (read from {@code /proc} when
 * {@code --server-pid} is given). Exits 1 when a message was lost, RSS drifted too far, or the file descriptors did
 * not return to their baseline. {@code scripts/soak.sh} builds and starts the server and runs this.
 */
public final class LoadRun {

    private final LoadOptions options;
    private final List<String> channels = new ArrayList<>();
    private final LoadReport report = new LoadReport();

    LoadRun(LoadOptions options) {
        this.options = options;
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int c = 0; c < options.channels(); c++) {
            channels.add("load/" + run + "/" + c);
        }
    }

    public static void main(String[] args) throws Exception {
        LoadOptions options = LoadOptions.parse(args, System.getenv());
        LoadReport report = new LoadRun(options).run();
        System.out.println(report.table());
        System.out.println("SOAK_RESULT " + report.json());
        List<String> failures = report.failures(options);
        failures.forEach(failure -> System.out.println("FAIL: " + failure));
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    LoadReport run() throws Exception {
        report.put("started", Instant.now().toString());
        report.options(options);
        primeServer();
        report.server("baseline", sample());
        LatencyHistogram latency = new LatencyHistogram();
        // Publishing connections must not outlive the run: the server's open files are compared with the baseline.
        try (Publisher publisher = new Publisher(options.url(), options.accessKey(), channels, options.size());
                SubscriberFleet fleet = new SubscriberFleet(options.url(), channels, latency)) {
            long connecting = System.nanoTime();
            fleet.connect(options.connections());
            report.put("connect_seconds", (System.nanoTime() - connecting) / 1e9);
            report.put("peers_reported", peersReported());
            progress("connected " + fleet.size() + " subscribers");
            publisher.run(options.rate(), options.warmUp());
            report.heap("start", heapAfterGc());
            report.server("start", sample());
            progress("warmed up; publishing for " + options.duration());
            publishWithProgress(publisher, fleet);
            publisher.awaitAnswered(Duration.ofSeconds(60));
            awaitDeliveries(publisher, fleet);
            report.server("end", sample());
            report.heap("end", heapAfterGc());
            report.deliveries(publisher, fleet, latency);
            fleet.closeAll();
        }
        report.server("after_clients_left", awaitFdsBackTo(report.baselineFds()));
        return report;
    }

    /**
     * Lets the server open what it opens once, lazily (jars of classes first used by a WebSocket or a publish, jcmd's
     * attach socket), so that the baseline of open files is the idle server's, to which it must return.
     */
    private void primeServer() throws Exception {
        List<String> primer = List.of("load/primer");
        try (Publisher publisher = new Publisher(options.url(), options.accessKey(), primer, options.size());
                SubscriberFleet fleet = new SubscriberFleet(options.url(), primer, new LatencyHistogram())) {
            fleet.connect(1);
            publisher.publish(0);
            publisher.awaitAnswered(Duration.ofSeconds(10));
        }
        peersReported();
        heapAfterGc();
        Thread.sleep(3000); // the server closes its side of the primer's connections
    }

    private void publishWithProgress(Publisher publisher, SubscriberFleet fleet) throws Exception {
        Duration slice = Duration.ofSeconds(30);
        Duration left = options.duration();
        while (!left.isZero() && !left.isNegative()) {
            Duration now = left.compareTo(slice) < 0 ? left : slice;
            publisher.run(options.rate(), now);
            left = left.minus(now);
            ProcessSample server = sample();
            progress(String.format("published %d, publish failures %d, subscribers closed %d, server RSS %s MiB",
                    publisher.publishedTotal(), publisher.failures(), fleet.closedByServer(),
                    server == null ? "?" : String.format("%.1f", server.rssMib())));
        }
    }

    /** Waits (up to 30 s) until every subscriber has every message of its channel, or nothing arrives any more. */
    private void awaitDeliveries(Publisher publisher, SubscriberFleet fleet) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline) && LoadReport.lost(publisher, fleet) > 0) {
            Thread.sleep(100);
        }
    }

    private long peersReported() throws Exception {
        try (Publisher publisher = new Publisher(options.url(), options.accessKey(), channels, options.size())) {
            return publisher.peers();
        }
    }

    /** Polls the server's open files until they are back at {@code baseline} (within 15 s); returns the last sample. */
    private ProcessSample awaitFdsBackTo(int baseline) throws Exception {
        Instant started = Instant.now();
        Instant deadline = started.plusSeconds(15);
        ProcessSample last = sample();
        while (last != null && last.openFds() > baseline && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            last = sample();
        }
        report.put("fds_back_after_seconds", Duration.between(started, Instant.now()).toMillis() / 1000.0);
        return last;
    }

    private double heapAfterGc() throws Exception {
        return options.serverPid() > 0 ? HeapSample.usedAfterGcMib(options.serverPid()) : -1;
    }

    private ProcessSample sample() throws Exception {
        if (options.serverPid() <= 0) {
            return null;
        }
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc", Long.toString(options.serverPid())))) {
            throw new IllegalStateException("the server (pid " + options.serverPid() + ") is no longer running");
        }
        return ProcessSample.of(options.serverPid());
    }

    private static void progress(String line) {
        System.out.println(Instant.now() + " " + line);
    }
}
