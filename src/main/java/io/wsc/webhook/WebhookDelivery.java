package io.wsc.webhook;

import static io.wsc.http.BackendClient.isSuccess;
import static io.wsc.http.BackendClient.statusClass;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.wsc.config.WscConfig;
import io.wsc.http.BackendClient;
import io.wsc.metrics.WscMetrics;

/**
 * Sends webhook events to {@code wsc.webhook.url}: queued (at most {@code wsc.webhook.max-queued}; past it an event is
 * dropped, counted and logged, and nothing waits), then POSTed in batches of up to {@code wsc.webhook.max-batch}, one
 * POST at a time, so the receiver gets them in the order they were decided on this node. A POST that gets no 2xx in
 * time is tried again, unchanged, after a wait that doubles each time, up to {@code wsc.webhook.max-attempts}; then its
 * events are given up (counted as failed, logged) and the next batch goes.
 */
@Singleton
public class WebhookDelivery {

    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Vertx vertx;
    private final WscMetrics metrics;
    /** Null when webhooks are off. */
    private final BackendClient client;
    private final ArrayBlockingQueue<WebhookEvent> queue;
    private final WebhookSignature signature;
    private final int maxBatch;
    private final int maxAttempts;
    private final Duration timeout;
    private final Duration firstBackoff;
    private final AtomicLong droppedUnlogged = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
    /** A batch is on its way (guarded by this): the next waits for it. */
    private boolean sending;

    WebhookDelivery(WscConfig config, Vertx vertx, WscMetrics metrics) {
        WscConfig.Webhook webhook = config.webhook();
        this.vertx = vertx;
        this.metrics = metrics;
        this.maxBatch = webhook.maxBatch();
        this.maxAttempts = webhook.maxAttempts();
        this.timeout = webhook.timeout();
        this.firstBackoff = webhook.retryBackoff();
        URI url = webhook.url().orElse(null);
        this.client = url == null ? null : new BackendClient(vertx, url, 1, timeout);
        this.queue = url == null ? null : new ArrayBlockingQueue<>(webhook.maxQueued());
        this.signature = url == null ? null : new WebhookSignature(webhook.secret().orElseThrow());
    }

    /** True when {@code wsc.webhook.url} is set. */
    public boolean enabled() {
        return client != null;
    }

    /** Queues the event for the receiver, or drops it when the queue is full; never waits. */
    public void send(WebhookEvent event) {
        if (!queue.offer(event)) {
            metrics.webhookEvents(event.name(), "dropped", 1);
            logDrop();
            return;
        }
        sendNext();
    }

    /** Events waiting to be sent (not counting the batch on its way). */
    public int queued() {
        return queue == null ? 0 : queue.size();
    }

    private void sendNext() {
        List<WebhookEvent> events = new ArrayList<>();
        synchronized (this) {
            if (sending || queue.drainTo(events, maxBatch) == 0) {
                return;
            }
            sending = true;
        }
        attempt(new WebhookBatch(List.copyOf(events), System.currentTimeMillis(), signature), 1);
    }

    private void attempt(WebhookBatch batch, int attempt) {
        long started = System.nanoTime();
        client.post(batch.body, batch.headers, timeout).onComplete(result -> {
            metrics.webhookTime(System.nanoTime() - started);
            if (result.succeeded() && isSuccess(result.result())) {
                count(batch, "sent");
                finished();
                return;
            }
            String cause = result.succeeded() ? "status_" + statusClass(result.result()) : "failed";
            if (attempt >= maxAttempts) {
                count(batch, "failed");
                LOG.warnf("Gave up a webhook POST of %d events to wsc.webhook.url after %d attempts (last: %s)",
                        batch.events.size(), attempt, result.succeeded() ? "status " + result.result()
                                : result.cause().toString());
                finished();
                return;
            }
            metrics.webhookRetried(cause);
            vertx.setTimer(backoff(attempt).toMillis(), id -> attempt(batch, attempt + 1));
        });
    }

    /** The wait after failed attempt {@code attempt}: the first backoff, doubled for each attempt after the first. */
    private Duration backoff(int attempt) {
        Duration wait = firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    private void finished() {
        synchronized (this) {
            sending = false;
        }
        sendNext();
    }

    private void count(WebhookBatch batch, String outcome) {
        for (WebhookEvent event : batch.events) {
            metrics.webhookEvents(event.name(), outcome, 1);
        }
    }

    /** One line now and then, with how many were dropped since the last: a full queue drops events in bursts. */
    private void logDrop() {
        long dropped = droppedUnlogged.incrementAndGet();
        long last = lastDropLog.get();
        long now = System.nanoTime();
        if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLog.compareAndSet(last, now)) {
            droppedUnlogged.addAndGet(-dropped);
            LOG.warnf("Dropped %d webhook events: %d are queued already (wsc.webhook.max-queued); is the receiver slow "
                    + "or down?", dropped, queue.size());
        }
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
