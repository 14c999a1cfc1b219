package io.wsc.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Publishes stamped messages over HTTP, round-robin over channels, and reads the channels' stats. {@link #run} keeps
 * a steady rate with the publishes to one channel chained (the next starts when the previous answered), so each
 * channel's messages leave in sequence order; {@link #publishPaced} paces them as the shared load generator does,
 * with a bound on the publishes in flight. Each message is stamped when it is actually sent.
 * <p>
 * HTTP/1.1 keep-alive connections of a Vert.x client on an event loop of its own (epoll, as the subscribers'): lean
 * enough per request that the publisher does not take the CPU the server needs (the JDK's HttpClient used about four
 * times as much at a few thousand publishes a second). Idle connections close after 2 s, all of them on
 * {@link #close()}.
 */
public final class Publisher implements AutoCloseable {

    private static final int MAX_CONNECTIONS = 1000;

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAliveTimeout(2)
            .setConnectTimeout(10_000), new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
    private final Context context = vertx.getOrCreateContext();
    private final URI base;
    private final String accessKey;
    private final List<String> channels;
    private final int size;
    private final AtomicLongArray published;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastAnswered = new AtomicLong();
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
            parkUntil(due);
            publish((int) (tick % channels.size()));
        }
    }

    /**
     * Publishes {@code messages} as the shared load generator ({@code loadgen.js}) does: message {@code j} goes to
     * channel {@code j % channels} as that channel's sequence number {@code j / channels}, is due at {@code j /
     * perSecond} seconds after the start (0: at once), and leaves when it is due and fewer than {@code inFlight} are
     * unanswered (so a slow server holds the publisher back). Returns once all were answered; fails after {@code
     * limit}.
     */
    public Paced publishPaced(int messages, double perSecond, int inFlight, Duration limit) throws Exception {
        PacedSchedule schedule = new PacedSchedule(vertx, messages, perSecond, inFlight,
                j -> send(j % channels.size(), j / channels.size()));
        CompletableFuture<Double> lag = new CompletableFuture<>();
        context.runOnContext(ignored -> schedule.start().whenComplete((value, error) -> lag.complete(value)));
        double maxLagMillis = lag.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        return new Paced(schedule.startNanos(), lastAnswered.get(), maxLagMillis);
    }

    /**
     * When a paced run started and its last publish was answered ({@link System#nanoTime()}), and how far behind its
     * schedule the latest send was (ms; 0 at full speed).
     */
    public record Paced(long startNanos, long lastAnsweredNanos, double maxScheduleLagMillis) {
        public double seconds() {
            return (lastAnsweredNanos - startNanos) / 1e9;
        }
    }

    private static void parkUntil(long due) {
        while (System.nanoTime() < due) {
            LockSupport.parkNanos(Math.max(1000, due - System.nanoTime()));
        }
    }

    /** Queues the next message of {@code channel} behind its previous one. */
    public synchronized void publish(int channel) {
        chains[channel] = chains[channel].thenCompose(previous -> send(channel, published.get(channel)));
    }

    /** Sends message {@code seq} of {@code channel}, stamped now; it counts as published once answered. */
    private CompletableFuture<Void> send(int channel, long seq) {
        String body = new StampedMessage(seq, System.nanoTime()).encode(size);
        Future<String> failure = exchange(HttpMethod.POST, channel, body).map(answer -> answer.startsWith("201 ") ? null
                : answer);
        return failure.toCompletionStage().toCompletableFuture().handle((badAnswer, error) -> {
            // counted as published either way: a subscriber that misses it shows up as a loss, never silently
            published.incrementAndGet(channel);
            lastAnswered.accumulateAndGet(System.nanoTime(), Math::max);
            if (error != null || badAnswer != null) {
                failures.incrementAndGet();
                synchronized (firstFailures) {
                    if (firstFailures.size() < 5) {
                        firstFailures.add(error != null ? error.toString() : badAnswer);
                    }
                }
            }
            return null;
        });
    }

    /**
     * One request on {@code channel}; its answer as {@code "<status> <body>"}. It runs on the client's event loop
     * (directly when called there), so that the body's handler is in place before the body arrives (set from another
     * thread, it may come too late).
     */
    private Future<String> exchange(HttpMethod method, int channel, String body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost(base.getHost())
                .setPort(base.getPort()).setURI(base.getPath().replaceAll("/$", "") + "/" + channels.get(channel))
                .putHeader("access-key", accessKey).setIdleTimeout(30_000);
        Promise<String> answer = Promise.promise();
        Handler<Void> exchange = ignored -> http.request(options)
                .compose(request -> request.send(body).compose(response -> response.body()
                        .map(content -> response.statusCode() + " " + content)))
                .onComplete(answer);
        Context current = Vertx.currentContext();
        if (current != null && current.owner() == vertx) {
            exchange.handle(null);
        } else {
            context.runOnContext(exchange);
        }
        return answer.future();
    }

    /** The subscribers the server reports on all the channels ({@code peers} of each channel's stats). */
    public long peers() throws Exception {
        long peers = 0;
        for (int channel = 0; channel < channels.size(); channel++) {
            String body = exchange(HttpMethod.GET, channel, "").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            if (!body.startsWith("200 ")) {
                throw new IllegalStateException("stats of " + channels.get(channel) + ": " + body);
            }
            peers += Long.parseLong(body.replaceAll(".*\"peers\":(\\d+).*", "$1"));
        }
        return peers;
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

    /** Closes the connections. */
    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
