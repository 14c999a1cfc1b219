package io.wsc.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes stamped messages over HTTP at a steady rate, round-robin over channels. Publishes to one channel are
 * chained (the next starts when the previous answered), so each channel's messages leave in sequence order; each
 * is stamped when it is actually sent.
 */
public final class Publisher {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String accessKey;
    private final List<String> channels;
    private final int size;
    private final AtomicLongArray published;
    private final AtomicLong failures = new AtomicLong();
    private final List<String> firstFailures = new ArrayList<>();
    private final CompletableFuture<?>[] chains;

    public Publisher(URI base, String accessKey, List<String> channels, int size) {
        this.base = base;
        this.accessKey = accessKey;
        this.channels = channels;
        this.size = size;
        this.published = new AtomicLongArray(channels.size());
        this.chains = new CompletableFuture<?>[channels.size()];
        java.util.Arrays.fill(chains, CompletableFuture.completedFuture(null));
    }

    /** Publishes {@code perSecond} messages a second for {@code duration}; returns once the last one is queued. */
    public void run(double perSecond, Duration duration) {
        long interval = (long) (1_000_000_000L / perSecond);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (long tick = 0;; tick++) {
            long due = start + tick * interval;
            if (due >= end) {
                return;
            }
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(Math.max(1000, due - System.nanoTime()));
            }
            publish((int) (tick % channels.size()));
        }
    }

    /** Queues the next message of {@code channel} behind its previous one. */
    public synchronized void publish(int channel) {
        chains[channel] = chains[channel].thenCompose(previous -> send(channel));
    }

    private CompletableFuture<Void> send(int channel) {
        long seq = published.get(channel);
        String body = new StampedMessage(seq, System.nanoTime()).encode(size);
        HttpRequest request = HttpRequest.newBuilder(base.resolve(channels.get(channel)))
                .header("access-key", accessKey).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
            // counted as published either way: a subscriber that misses it shows up as a loss, never silently
            published.incrementAndGet(channel);
            if (error != null || response.statusCode() != 201) {
                failures.incrementAndGet();
                synchronized (firstFailures) {
                    if (firstFailures.size() < 5) {
                        firstFailures.add(error != null ? error.toString() : response.statusCode() + " " + response.body());
                    }
                }
            }
            return null;
        });
    }

    /** Waits until every queued publish has been answered. */
    public void awaitAnswered(Duration timeout) throws Exception {
        CompletableFuture<?>[] pending;
        synchronized (this) {
            pending = chains.clone();
        }
        CompletableFuture.allOf(pending).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public long published(int channel) {
        return published.get(channel);
    }

    public long publishedTotal() {
        long total = 0;
        for (int i = 0; i < published.length(); i++) {
            total += published.get(i);
        }
        return total;
    }

    public long failures() {
        return failures.get();
    }

    public List<String> firstFailures() {
        synchronized (firstFailures) {
            return List.copyOf(firstFailures);
        }
    }
}
