package io.wsc.load;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The project's benchmark: runs standard scenarios (or one given by options) against a running server and prints a
 * markdown table, then one JSON line as the last line. Exits 1 when a message was lost, a publish failed or a
 * subscriber was closed, 2 on bad usage. {@code scripts/bench.sh} builds and runs it.
 *
 * <pre>
 * Benchmark [SCENARIO...] [--url http://127.0.0.1:8088/] [--access-key KEY] [--pid SERVER_PID]
 *           [--subs N --channels C --messages M --size S --rate R --concurrency K] [--settle 2] [--drain-timeout 10]
 *           [--channels-per-connection P] [--frames raw|json]
 * </pre>
 *
 * Scenarios: {@link Scenario#STANDARD}; the default is s a16 a5 b. Options such as {@code --subs} change every scenario
 * named; without a name they apply to loadgen.js's defaults. {@code --rate} is publishes a second over all channels,
 * 0 for as fast as {@code --concurrency} (publishes in flight) allows. {@code --frames json} subscribes with the
 * {@code wsc.v1.json} subprotocol (messages as JSON with their ids) instead of raw frames;
 * {@code --channels-per-connection} subscribes each connection to that many channels at once (JSON frames only).
 * Scenarios m and m1 compare the two: the same deliveries over multiplexed and over single-channel connections.
 */
public final class Benchmark {

    static final List<String> DEFAULT_SCENARIOS = List.of("s", "a16", "a5", "b");
    private static final List<String> OPTIONS = List.of("url", "access-key", "pid", "subs", "channels", "messages",
            "size", "rate", "concurrency", "channels-per-connection", "settle", "drain-timeout", "frames");

    private Benchmark() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs and prints; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        BenchmarkRun.Target target;
        List<Scenario> scenarios;
        try {
            Arguments arguments = Arguments.parse(args, System.getenv()).only(OPTIONS);
            target = new BenchmarkRun.Target(URI.create(arguments.get("url", "http://127.0.0.1:8088/")),
                    arguments.get("access-key", "A0B1C2D3"), Long.parseLong(arguments.get("pid", "0")),
                    LoadOptions.duration(arguments.given("settle", "2")),
                    LoadOptions.duration(arguments.given("drain-timeout", "10")));
            scenarios = scenarios(arguments);
        } catch (IllegalArgumentException e) {
            err.println("benchmark: " + e.getMessage());
            return 2;
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            err.printf("benchmark: %s against %s%n", scenario, target.url());
            try {
                Map<String, Object> result = new BenchmarkRun(target, scenario).run();
                err.println("benchmark: " + result);
                results.add(result);
            } catch (Exception e) {
                err.println("benchmark: " + scenario.name() + " failed: " + e);
                results.add(Map.of("scenario", scenario.name(), "error", String.valueOf(e), "ok", false));
            }
        }
        BenchmarkReport report = new BenchmarkReport(target, results);
        out.println(report.table());
        out.println(report.json());
        return report.ok() ? 0 : 1;
    }

    private static List<Scenario> scenarios(Arguments arguments) {
        List<String> names = arguments.words();
        boolean custom = names.isEmpty() && arguments.options().keySet().stream().anyMatch(
                name -> List.of("subs", "channels", "messages", "size", "rate", "concurrency", "channels-per-connection")
                        .contains(name));
        if (custom) {
            return List.of(Scenario.CUSTOM.with(arguments));
        }
        return (names.isEmpty() ? DEFAULT_SCENARIOS : names).stream().map(Scenario::named)
                .map(scenario -> scenario.with(arguments)).toList();
    }
}
