package io.wsc.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A benchmark scenario: {@code subs} subscriber connections over {@code channels} channels, each connection on
 * {@code channelsPerConnection} of them (see {@link #channelsOf}), {@code messages} publishes of {@code size} bytes
 * round-robin over the channels at {@code rate} a second overall (0: as fast as allowed), with at most
 * {@code concurrency} in flight; {@code jsonFrames} subscribes with {@code wsc.v1.json} (which several channels on one
 * connection need). The standard single-channel ones are the shared kit's ({@code shared/bench/scenarios.sh}), so that
 * figures compare with its {@code loadgen.js}.
 */
record Scenario(String name, int subs, int channels, int messages, int size, double rate, int concurrency,
        int channelsPerConnection, boolean jsonFrames) {

    static final Map<String, Scenario> STANDARD = new LinkedHashMap<>();

    static {
        standard(new Scenario("a", 10_000, 1, 200, 100, 20, 200));
        standard(new Scenario("a16", 10_000, 1, 200, 100, 20, 16));
        standard(new Scenario("a5", 10_000, 1, 50, 100, 5, 200));
        standard(new Scenario("b", 10_000, 1_000, 20_000, 100, 0, 16));
        // Saturation: nothing paces the publisher, so this is the most a server delivers.
        standard(new Scenario("s", 10_000, 1, 300, 100, 0, 4));
        // Multiplexed: 10 channels on each connection, 100 connections on each channel; the same 200,000 deliveries
        // as m1, which spreads them over single-channel connections (b's shape, in the same JSON frames).
        standard(new Scenario("m", 10_000, 1_000, 2_000, 100, 0, 16, 10, true));
        standard(new Scenario("m1", 10_000, 1_000, 20_000, 100, 0, 16, 1, true));
        standard(new Scenario("smoke", 500, 5, 50, 100, 0, 16));
    }

    /** loadgen.js's defaults, for a run given by options alone. */
    static final Scenario CUSTOM = new Scenario("custom", 1_000, 1, 100, 100, 0, 16);

    /** A single-channel scenario in raw frames, as the shared kit's are. */
    Scenario(String name, int subs, int channels, int messages, int size, double rate, int concurrency) {
        this(name, subs, channels, messages, size, rate, concurrency, 1, false);
    }

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
                Integer.parseInt(args.given("concurrency", Integer.toString(concurrency))),
                Integer.parseInt(args.given("channels-per-connection", Integer.toString(channelsPerConnection))),
                frames(args.given("frames", jsonFrames ? "json" : "raw")));
        if (s.subs < 1 || s.channels < 1 || s.messages < 1 || s.size < 1 || s.rate < 0 || s.concurrency < 1
                || s.channelsPerConnection < 1) {
            throw new IllegalArgumentException("subs, channels, messages, size, concurrency and channels-per-connection"
                    + " must be at least 1 and rate at least 0: " + s);
        }
        if (s.channelsPerConnection > s.channels) {
            throw new IllegalArgumentException("channels-per-connection is at most channels: " + s);
        }
        if (s.channelsPerConnection > 1 && !s.jsonFrames) {
            throw new IllegalArgumentException("several channels per connection need --frames json: " + s);
        }
        return s;
    }

    private static boolean frames(String frames) {
        return switch (frames) {
            case "raw" -> false;
            case "json" -> true;
            default -> throw new IllegalArgumentException("--frames is raw or json, not " + frames);
        };
    }

    /**
     * The channels of connection {@code connection}: {@code connection % channels} and the ones a stride of
     * {@code channels / channelsPerConnection} apart, so every channel gets the same share of connections.
     */
    int[] channelsOf(int connection) {
        int stride = channels / channelsPerConnection;
        int[] of = new int[channelsPerConnection];
        for (int k = 0; k < channelsPerConnection; k++) {
            of[k] = (connection + k * stride) % channels;
        }
        return of;
    }

    /** Subscriptions over all connections: what the channels' {@code peers} add up to. */
    long subscriptions() {
        return (long) subs * channelsPerConnection;
    }

    /** Every message at every subscriber of its channel. */
    long expectedDeliveries() {
        long expected = 0;
        for (int connection = 0; connection < subs; connection++) {
            for (int channel : channelsOf(connection)) {
                expected += messagesOn(channel);
            }
        }
        return expected;
    }

    /** Messages published on {@code channel} (message {@code j} goes to channel {@code j % channels}). */
    int messagesOn(int channel) {
        return messages / channels + (channel < messages % channels ? 1 : 0);
    }
}
