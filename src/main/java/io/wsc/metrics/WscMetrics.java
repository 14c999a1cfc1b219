package io.wsc.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wsc.channel.Farewell;

/**
 * The events wsc counts, as Prometheus meters at {@code /q/metrics} on the management port. No meter has a channel
 * label: channel names are unbounded, and every label value is a time series.
 */
@Singleton
public class WscMetrics {

    private final MeterRegistry registry;
    private final Timer publishFlush;
    private final Counter previousKeyUses;
    private final Counter recovered;
    private final Counter readPauses;
    private final Timer subscribeHookTime;
    private final Timer webhookTime;
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
        this.recovered = Counter.builder("wsc.redis.recovered")
                .description("Messages a node missed live (Redis link dropped, or a sequence number skipped) and "
                        + "delivered from Redis's history, in order")
                .register(registry);
        this.readPauses = Counter.builder("wsc.redis.reads.paused")
                .description("Times the Redis pub/sub link stopped being read while this node's fan-out caught up")
                .register(registry);
        this.sent = publishes(PublishOutcome.of(201));
        this.subscribeHookTime = Timer.builder("wsc.subscribe.hook.duration")
                .description("How long the backend took to answer whether a subscriber may subscribe "
                        + "(wsc.subscribe.authorize-url)")
                .publishPercentileHistogram()
                .register(registry);
        this.webhookTime = Timer.builder("wsc.webhook.duration")
                .description("How long the webhook receiver (wsc.webhook.url) took to answer one POST, each attempt")
                .publishPercentileHistogram()
                .register(registry);
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

    /**
     * What the subscribe hook (wsc.subscribe.authorize-url) answered: {@code admitted}, {@code status_401},
     * {@code status_403}, {@code status_4xx}, {@code status_5xx}, {@code timed_out}, {@code failed} (no answer),
     * {@code busy} (not asked: too many questions waiting), {@code cached} (an earlier answer reused).
     */
    public void subscribeHook(String outcome) {
        counter("wsc.subscribe.hook", "Subscribers the backend was asked about, by outcome", "outcome", outcome)
                .increment();
    }

    public void subscribeHookTime(long nanos) {
        subscribeHookTime.record(nanos, TimeUnit.NANOSECONDS);
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

    /** Messages a Redis node missed live (its link dropped, or a sequence number was skipped) and delivered from history. */
    public void recovered(int messages) {
        recovered.increment(messages);
    }

    /**
     * The Redis pub/sub link was paused: this node's fan-out had more than {@code wsc.fan-out.max-queued-bytes} queued on
     * a loop (see RedisReadPacing).
     */
    public void redisReadPaused() {
        readPauses.increment();
    }

    /**
     * A Redis node told a channel's subscribers that messages were lost to it, by cause ({@code link_lost},
     * {@code sequence_hole}, {@code redis_reset}); {@code closed} raw-frame subscribers were closed with 1012 for it.
     */
    public void lossSignalled(String cause, int closed) {
        counter("wsc.redis.losses", "Times a node told a channel's subscribers that messages were lost, by cause",
                "cause", cause).increment();
        if (closed > 0) {
            counter("wsc.subscribers.closed.lost", "Raw-frame subscribers closed with 1012 as messages were lost, by cause",
                    "cause", cause).increment(closed);
        }
    }

    /**
     * Connections the server closed for a {@link Farewell} with a metric reason ({@code backend}: a DELETE,
     * {@code token_expired}), beside the hub's {@code slow} and {@code silent} under the same name.
     */
    public void subscribersClosed(Farewell farewell, int connections) {
        counter("wsc.subscriber.disconnects", "Subscribers dropped by the server", "reason", farewell.metricReason())
                .increment(connections);
    }

    /** A connection closed for taking too long: {@code header}, {@code body} or {@code keep_alive} (io.wsc.http). */
    public void httpTimedOut(String timeout) {
        counter("wsc.http.timeouts", "Connections closed for a timeout: header, body, keep_alive", "timeout", timeout)
                .increment();
    }

    /** A connection closed as soon as it was accepted, e.g. {@code per_address} (wsc.max-connections-per-address). */
    public void connectionRefused(String reason) {
        counter("wsc.connections.refused", "Connections closed as soon as they were accepted, by reason", "reason",
                reason).increment();
    }

    /**
     * Webhook events (wsc.webhook.url) by {@code event} ({@code channel_occupied}, ...) and {@code outcome}:
     * {@code sent} (the receiver answered 2xx), {@code dropped} (the queue was full), {@code failed} (every attempt
     * failed).
     */
    public void webhookEvents(String event, String outcome, int count) {
        counter("wsc.webhook.events", "Webhook events by event and outcome: sent, dropped (queue full), failed",
                "event", event, "outcome", outcome).increment(count);
    }

    /** A webhook POST that failed and will be tried again, by what it got: {@code status_5xx}, {@code failed}, ... */
    public void webhookRetried(String cause) {
        counter("wsc.webhook.retries", "Webhook POSTs tried again, by what the failed attempt got", "cause", cause)
                .increment();
    }

    public void webhookTime(long nanos) {
        webhookTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** @param tags label names and values, alternating */
    private Counter counter(String name, String description, String... tags) {
        // Label values come from small fixed sets; the cache spares a registry lookup on every publish.
        return counters.computeIfAbsent(name + '\0' + String.join("\0", tags),
                key -> Counter.builder(name).description(description).tags(tags).register(registry));
    }
}
