package io.wsc.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A benchmark scenario: {@code subs} subscribers over {@code channels} channels (subscriber {@code i} on channel
 * {@code i % channels}), {@code messages} publishes of {@code size} bytes round-robin over the channels at {@code rate}
 * a second overall (0: as fast as allowed), with at most {@code concurrency} in flight. The standard ones are the
 * shared kit's ({@code shared/bench/scenarios.sh}), so that figures compare with its {@code loadgen.js}.
 */
record Scenario(String name, int subs, int channels, int messages, int size, double rate, int concurrency) {

    static final Map<String, Scenario> STANDARD = new LinkedHashMap<>();

    static {
        standard(new Scenario("a", 10_000, 1, 200, 100, 20, 200));
        standard(new Scenario("a16", 10_000, 1, 200, 100, 20, 16));
        standard(new Scenario("a5", 10_000, 1, 50, 100, 5, 200));
        standard(new Scenario("b", 10_000, 1_000, 20_000, 100, 0, 16));
        // Saturation: nothing paces the publisher, so this is the most a server delivers.
        standard(new Scenario("s", 10_000, 1, 300, 100, 0, 4));
        standard(new Scenario("smoke", 500, 5, 50, 100, 0, 16));
    }

    /** loadgen.js's defaults, for a run given by options alone. */
    static final Scenario CUSTOM = new Scenario("custom", 1_000, 1, 100, 100, 0, 16);

    private static void standard(Scenario scenario) {
        STANDARD.put(scenario.name(), scenario);
    }

    static Scenario named(String name) {
        Scenario scenario = STANDARD.get(name);
        if (scenario == null) {
            throw new IllegalArgumentException("unknown scenario " + name + " (known: " + STANDARD.keySet() + ")");
        }
        return scenario;
    }

    /** This scenario with what the command line sets instead ({@code --subs}, {@code --rate}, ...). */
    Scenario with(Arguments args) {
        Scenario s = new Scenario(name, Integer.parseInt(args.given("subs", Integer.toString(subs))),
                Integer.parseInt(args.given("channels", Integer.toString(channels))),
                Integer.parseInt(args.given("messages", Integer.toString(messages))),
                Integer.parseInt(args.given("size", Integer.toString(size))),
                Double.parseDouble(args.given("rate", Double.toString(rate))),
                Integer.parseInt(args.given("concurrency", Integer.toString(concurrency))));
        if (s.subs < 1 || s.channels < 1 || s.messages < 1 || s.size < 1 || s.rate < 0 || s.concurrency < 1) {
            throw new IllegalArgumentException("subs, channels, messages, size and concurrency must be at least 1 and"
                    + " rate at least 0: " + s);
        }
        return s;
    }

    /** Every message at every subscriber of its channel. */
    long expectedDeliveries() {
        long expected = 0;
        for (int c = 0; c < channels; c++) {
            expected += (long) share(subs, c) * messagesOn(c);
        }
        return expected;
    }

    /** Messages published on {@code channel} (message {@code j} goes to channel {@code j % channels}). */
    int messagesOn(int channel) {
        return share(messages, channel);
    }

    private int share(int total, int channel) {
        return total / channels + (channel < total % channels ? 1 : 0);
    }
}
