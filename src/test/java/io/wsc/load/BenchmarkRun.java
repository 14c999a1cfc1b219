package io.wsc.load;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One benchmark scenario against a running server, measured as the shared kit's {@code loadgen.js} measures it:
 * connect every subscriber, wait until the server reports them all and a settle time more, publish (see
 * {@link Publisher#publishPaced}), then wait until every message reached every subscriber of its channel or nothing
 * arrived for the drain timeout. Rates are over the publish phase: POST/s up to the last answer, deliveries/s up to
 * the last delivery. The server's RSS (idle, connected) and CPU (publish phase) come from {@code /proc} when its pid
 * is known.
 */
final class BenchmarkRun {

    /** The server under test; {@code serverPid} 0 when not known. */
    record Target(URI url, String accessKey, long serverPid, Duration settle, Duration drainTimeout) {
    }

    private final Target target;
    private final Scenario scenario;
    private final List<String> channels = new ArrayList<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();

    BenchmarkRun(Target target, Scenario scenario) {
        this.target = target;
        this.scenario = scenario;
        String run = UUID.randomUUID().toString().substring(0, 6);
        for (int c = 0; c < scenario.channels(); c++) {
            channels.add("bench/" + run + "/c" + c);
        }
    }

    /** Runs the scenario; the figures in the order they are reported, {@code ok} last. */
    Map<String, Object> run() throws Exception {
        figures.put("scenario", scenario.name());
        figures.put("subs", scenario.subs());
        figures.put("channels", scenario.channels());
        figures.put("messages", scenario.messages());
        figures.put("size", scenario.size());
        figures.put("rate", scenario.rate());
        figures.put("concurrency", scenario.concurrency());
        figures.put("channels_per_connection", scenario.channelsPerConnection());
        figures.put("frames", scenario.jsonFrames() ? "json" : "raw");
        ProcessSample idle = server();
        LatencyHistogram latency = new LatencyHistogram();
        try (Publisher publisher = new Publisher(target.url(), target.accessKey(), channels, scenario.size());
                SubscriberFleet fleet = new SubscriberFleet(target.url(), channels, latency, scenario.jsonFrames(),
                        scenario::channelsOf)) {
            long connecting = System.nanoTime();
            fleet.connect(scenario.subs());
            figures.put("connect_s", round(seconds(System.nanoTime() - connecting), 3));
            figures.put("peers_reported", awaitPeers(publisher));
            // the subscribers' objects move to the old generation now, not in a collection while publishing
            System.gc();
            Thread.sleep(target.settle().toMillis());
            ProcessSample connected = server();
            ProcessSample self = ProcessSample.of(ProcessHandle.current().pid());
            ProcessSample.Machine machine = ProcessSample.Machine.now();

            Publisher.Paced paced = publisher.publishPaced(scenario.messages(), scenario.rate(),
                    scenario.concurrency(), Duration.ofMinutes(10));
            long expected = scenario.expectedDeliveries();
            awaitDeliveries(fleet, expected);
            long drained = System.nanoTime();
            ProcessSample serverAfter = server();
            ProcessSample selfAfter = ProcessSample.of(ProcessHandle.current().pid());
            ProcessSample.Machine machineAfter = ProcessSample.Machine.now();

            publishFigures(publisher, paced);
            deliveryFigures(fleet, latency, paced, expected);
            long delivered = fleet.delivered();
            double phase = seconds(drained - paced.startNanos());
            if (idle != null) {
                serverFigures(idle, connected, serverAfter, phase, delivered);
            }
            double generator = (selfAfter.cpuMillis() - self.cpuMillis()) / 1000.0 / phase;
            double busy = machineAfter.busyCoresSince(machine);
            figures.put("generator_cores", round(generator, 3));
            figures.put("softirq_cores", round(machineAfter.interruptCoresSince(machine), 3));
            // the rest (without the server's pid: the server too): above ~0.15 cores, other work disturbed the run
            figures.put("other_cores", round(busy - generator - (double) figures.getOrDefault("server_cores", 0.0),
                    3));
            figures.put("ok", ok());
        }
        return figures;
    }

    private void publishFigures(Publisher publisher, Publisher.Paced paced) {
        long ok = publisher.publishedTotal() - publisher.failures();
        figures.put("posts_ok", ok);
        figures.put("posts_failed", publisher.failures());
        if (!publisher.firstFailures().isEmpty()) {
            figures.put("first_post_failures", publisher.firstFailures());
        }
        figures.put("posts_per_s", Math.round(ok / paced.seconds()));
        figures.put("max_schedule_lag_ms", round(paced.maxScheduleLagMillis(), 2));
    }

    private void deliveryFigures(SubscriberFleet fleet, LatencyHistogram latency, Publisher.Paced paced,
            long expected) {
        long delivered = fleet.delivered();
        long lost = 0;
        long duplicated = 0;
        long outOfOrder = 0;
        for (DeliveryLedger ledger : fleet.ledgers()) {
            lost += ledger.lost(scenario.messagesOn(ledger.channel()));
            duplicated += ledger.duplicates();
            outOfOrder += ledger.outOfOrder();
        }
        figures.put("expected", expected);
        figures.put("delivered", delivered);
        figures.put("lost", lost);
        figures.put("duplicated", duplicated);
        figures.put("out_of_order", outOfOrder);
        figures.put("subscribers_closed", fleet.closedByServer());
        long last = fleet.lastDeliveryNanos();
        figures.put("deliveries_per_s", last > paced.startNanos()
                ? Math.round(delivered / seconds(last - paced.startNanos())) : 0);
        figures.put("latency_p50_ms", latency.percentileMillis(50));
        figures.put("latency_p90_ms", latency.percentileMillis(90));
        figures.put("latency_p99_ms", latency.percentileMillis(99));
        figures.put("latency_max_ms", latency.maxMillis());
    }

    private void serverFigures(ProcessSample idle, ProcessSample connected, ProcessSample after, double phase,
            long delivered) {
        figures.put("server_rss_idle_kb", idle.rssKib());
        figures.put("server_rss_connected_kb", connected.rssKib());
        figures.put("server_rss_after_kb", after.rssKib());
        figures.put("server_rss_per_conn_kb", round((connected.rssKib() - idle.rssKib()) / (double) scenario.subs(), 2));
        double cpu = (after.cpuMillis() - connected.cpuMillis()) / 1000.0;
        figures.put("server_cpu_s", round(cpu, 2));
        figures.put("server_cores", round(cpu / phase, 3));
        figures.put("server_us_per_delivery", delivered > 0 ? round(cpu * 1e6 / delivered, 2) : null);
    }

    private boolean ok() {
        return (long) figures.get("lost") == 0 && (long) figures.get("posts_failed") == 0
                && (long) figures.get("subscribers_closed") == 0;
    }

    /** Waits (up to 30 s) until the server reports every subscription; returns what it reports last. */
    private long awaitPeers(Publisher publisher) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long peers = publisher.peers();
        while (peers < scenario.subscriptions() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            peers = publisher.peers();
        }
        return peers;
    }

    /** Waits until {@code expected} messages arrived, or none arrived for the drain timeout. */
    private void awaitDeliveries(SubscriberFleet fleet, long expected) throws InterruptedException {
        long delivered = fleet.delivered();
        long progressed = System.nanoTime();
        while (delivered < expected && System.nanoTime() - progressed < target.drainTimeout().toNanos()) {
            Thread.sleep(20);
            long now = fleet.delivered();
            if (now != delivered) {
                delivered = now;
                progressed = System.nanoTime();
            }
        }
    }

    private ProcessSample server() throws IOException {
        if (target.serverPid() <= 0) {
            return null;
        }
        if (!Files.isDirectory(Path.of("/proc", Long.toString(target.serverPid())))) {
            throw new IllegalStateException("the server (pid " + target.serverPid() + ") is not running");
        }
        return ProcessSample.of(target.serverPid());
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
