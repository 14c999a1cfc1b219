package io.wsc.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The events wsc counts, as Prometheus meters at {@code /q/metrics} on the management port. No meter has a channel
 * label: channel names are unbounded, and every label value is a time series.
 */
@Singleton
public class WscMetrics {

    private final MeterRegistry registry;
    private final Timer publishFlush;
    private final Counter previousKeyUses;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** The outcome of nearly every publish, kept at hand rather than looked up by label. */
    private final Counter sent;

    WscMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.publishFlush = Timer.builder("wsc.publish.flush")
                .description("From a publish reaching the fan-out to its frame being flushed to every local subscriber")
                .publishPercentileHistogram()
                .register(registry);
        this.previousKeyUses = Counter.builder("wsc.previous.key.uses")
                .description("Requests authorized with wsc.previous-access-key: zero for a while means rotation is done")
                .register(registry);
        this.sent = publishes(PublishOutcome.of(201));
    }

    /** A publish (POST) answered with {@code httpStatus}. */
    public void published(int httpStatus) {
        (httpStatus == 201 ? sent : publishes(PublishOutcome.of(httpStatus))).increment();
    }

    private Counter publishes(String outcome) {
        return counter("wsc.publishes", "Publish requests by outcome", "outcome", outcome);
    }

    /**
     * A subscriber refused (WebSocket upgrade or event stream), e.g. {@code origin}, {@code token},
     * {@code max_connections}.
     */
    public void upgradeRefused(String reason) {
        counter("wsc.upgrades.refused", "Subscribers refused (WebSocket upgrades and event streams), by reason",
                "reason", reason).increment();
    }

    /** A request with a wrong access key ({@code wrong_key}), or refused for too many of them ({@code rate_limited}). */
    public void keyRejected(String outcome) {
        counter("wsc.key.rejections", "Requests refused for their access key", "outcome", outcome).increment();
    }

    public void previousKeyUsed() {
        previousKeyUses.increment();
    }

    /** A fan-out that began at {@code startNanos} has been written and flushed on every event loop involved. */
    public void flushed(long startNanos) {
        publishFlush.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String description, String tag, String value) {
        // Label values come from small fixed sets; the cache spares a registry lookup on every publish.
        return counters.computeIfAbsent(name + '\0' + value,
                key -> Counter.builder(name).description(description).tag(tag, value).register(registry));
    }
}
