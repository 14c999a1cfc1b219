package io.wsc.load;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The benchmark's scenarios as a markdown table (a row each) and as one JSON line, and whether all went well. */
final class BenchmarkReport {

    private final BenchmarkRun.Target target;
    private final List<Map<String, Object>> results;

    BenchmarkReport(BenchmarkRun.Target target, List<Map<String, Object>> results) {
        this.target = target;
        this.results = results;
    }

    boolean ok() {
        return !results.isEmpty() && results.stream().allMatch(result -> Boolean.TRUE.equals(result.get("ok")));
    }

    String table() {
        StringBuilder table = new StringBuilder("| scenario | connect s | POST/s | deliveries/s | latency p50 / p99 / max ms"
                + " | delivered / expected | lost | dup | server RSS idle → connected MiB (KB/conn) | server CPU s |"
                + " µs CPU/delivery |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, Object> r : results) {
            if (r.containsKey("error")) {
                table.append("| ").append(r.get("scenario")).append(" | failed: ").append(r.get("error"))
                        .append(" |||||||||\n");
                continue;
            }
            table.append(String.format("| %s | %s | %s | %s | %s / %s / %s | %s / %s | %s | %s | %s | %s | %s |%n",
                    r.get("scenario"), r.get("connect_s"), r.get("posts_per_s"), r.get("deliveries_per_s"),
                    r.get("latency_p50_ms"), r.get("latency_p99_ms"), r.get("latency_max_ms"), r.get("delivered"),
                    r.get("expected"), r.get("lost"), r.get("duplicated"), memory(r), dash(r.get("server_cpu_s")),
                    dash(r.get("server_us_per_delivery"))));
        }
        return table.toString();
    }

    String json() {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("tool", "wsc-benchmark");
        line.put("url", target.url().toString());
        line.put("server_pid", target.serverPid() > 0 ? target.serverPid() : null);
        line.put("scenarios", results);
        line.put("ok", ok());
        try {
            return new ObjectMapper().writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String memory(Map<String, Object> r) {
        if (!r.containsKey("server_rss_idle_kb")) {
            return "-";
        }
        return String.format("%.0f → %.0f (%s)", ((Number) r.get("server_rss_idle_kb")).longValue() / 1024.0,
                ((Number) r.get("server_rss_connected_kb")).longValue() / 1024.0, r.get("server_rss_per_conn_kb"));
    }

    private static Object dash(Object value) {
        return value == null ? "-" : value;
    }
}
