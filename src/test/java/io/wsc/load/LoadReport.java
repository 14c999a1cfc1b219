package io.wsc.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The figures of one load run, printed as a table and as one JSON line, and the verdict on them. */
final class LoadReport {

    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<String, ProcessSample> server = new LinkedHashMap<>();

    void put(String name, Object value) {
        figures.put(name, value);
    }

    void options(LoadOptions options) {
        put("connections", options.connections());
        put("channels", options.channels());
        put("duration_seconds", options.duration().toSeconds());
        put("warm_up_seconds", options.warmUp().toSeconds());
        put("rate_per_second", options.rate());
        put("message_bytes", options.size());
    }

    /** A sample of the server's process at a phase of the run (nothing when no pid was given). */
    void server(String phase, ProcessSample sample) {
        if (sample == null) {
            return;
        }
        server.put(phase, sample);
        put("server_rss_mib_" + phase, round(sample.rssMib()));
        put("server_fds_" + phase, sample.openFds());
        if (phase.equals("end") && server.containsKey("start")) {
            ProcessSample start = server.get("start");
            put("server_rss_drift_percent", round(100.0 * (sample.rssKib() - start.rssKib()) / start.rssKib()));
            double cpuSeconds = (sample.cpuMillis() - start.cpuMillis()) / 1000.0;
            put("server_cpu_seconds", round(cpuSeconds));
            put("server_cpu_percent_of_one_core", round(100.0 * cpuSeconds / (long) figures.get("duration_seconds")));
        }
    }

    /** The server's heap after a full GC at a phase of the run; its growth from start to end is reported. */
    void heap(String phase, double usedMib) {
        put("server_heap_after_gc_mib_" + phase, round(usedMib));
        if (phase.equals("end") && figures.get("server_heap_after_gc_mib_start") instanceof Double start && start > 0) {
            put("server_heap_after_gc_growth_mib", round(usedMib - start));
        }
    }

    int baselineFds() {
        ProcessSample baseline = server.get("baseline");
        return baseline == null ? 0 : baseline.openFds();
    }

    void deliveries(Publisher publisher, SubscriberFleet fleet, LatencyHistogram latency) {
        long expected = 0;
        long received = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        for (DeliveryLedger ledger : fleet.ledgers()) {
            expected += publisher.published(ledger.channel());
            received += ledger.unique();
            duplicates += ledger.duplicates();
            outOfOrder += ledger.outOfOrder();
        }
        put("messages_published", publisher.publishedTotal());
        put("publish_failures", publisher.failures());
        put("deliveries_expected", expected);
        put("deliveries_received", received);
        put("lost", lost(publisher, fleet));
        put("duplicates", duplicates);
        put("out_of_order", outOfOrder);
        put("subscribers_closed_by_server", fleet.closedByServer());
        put("latency_ms_p50", latency.percentileMillis(50));
        put("latency_ms_p99", latency.percentileMillis(99));
        put("latency_ms_max", latency.maxMillis());
        if (!publisher.firstFailures().isEmpty()) {
            put("first_publish_failures", publisher.firstFailures());
        }
    }

    static long lost(Publisher publisher, SubscriberFleet fleet) {
        long lost = 0;
        for (DeliveryLedger ledger : fleet.ledgers()) {
            lost += ledger.lost(publisher.published(ledger.channel()));
        }
        return lost;
    }

    List<String> failures(LoadOptions options) {
        List<String> failures = new ArrayList<>();
        check(failures, number("lost") == 0, "messages were lost");
        check(failures, number("publish_failures") == 0, "publishes failed");
        check(failures, number("peers_reported") == options.connections(), "the server reported "
                + figures.get("peers_reported") + " peers for " + options.connections() + " connections");
        if (figures.containsKey("server_rss_drift_percent")) {
            check(failures, Math.abs(number("server_rss_drift_percent")) < options.maxRssDriftPercent(),
                    "server RSS drifted by " + figures.get("server_rss_drift_percent") + " %");
        }
        if (server.containsKey("after_clients_left")) {
            check(failures, server.get("after_clients_left").openFds() <= baselineFds(),
                    "server open files did not return to the baseline of " + baselineFds());
        }
        return failures;
    }

    String table() {
        StringBuilder table = new StringBuilder();
        figures.forEach((name, value) -> table.append(String.format("| %-36s | %20s |%n", name, value)));
        return table.toString();
    }

    String json() {
        try {
            return new ObjectMapper().writeValueAsString(figures);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private double number(String name) {
        return figures.get(name) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static void check(List<String> failures, boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
        }
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
