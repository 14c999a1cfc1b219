package io.wsc.support;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * A webhook receiver on 127.0.0.1 that keeps every POST it gets (raw body and headers) and answers 204. It can hold
 * its answers ({@link #hold}) and be stopped and started again on the same port, as a backend that is down.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One POST as it arrived. */
    public record Delivery(String rawBody, MultiMap headers, long arrivedMillis) {

        public JsonObject body() {
            return new JsonObject(rawBody);
        }

        /** True when {@code X-Wsc-Signature} is the HMAC-SHA256 (hex) of the raw body with {@code secret}. */
        public boolean signedWith(String secret) throws Exception {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal(rawBody.getBytes(StandardCharsets.UTF_8)));
            return expected.equals(headers.get("X-Wsc-Signature"));
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final int port;
    private volatile HttpServer server;
    private volatile boolean holding;
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    public final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    /** Every event of every delivery, in arrival order. */
    public final List<JsonObject> events = new CopyOnWriteArrayList<>();

    public WebhookReceiver() {
        this.server = listen(0);
        this.port = server.actualPort();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/wsc-events");
    }

    /** The first delivery that carried an event of {@code channel}. */
    public Delivery deliveryOf(String channel) {
        return deliveries.stream().filter(delivery -> delivery.body().getJsonArray("events").stream()
                .anyMatch(event -> channel.equals(((JsonObject) event).getString("channel")))).findFirst()
                .orElseThrow();
    }

    /** The events of {@code channel} received so far, as {@code name} or {@code name:sub}, in arrival order. */
    public List<String> eventsOf(String channel) {
        return events.stream().filter(event -> channel.equals(event.getString("channel")))
                .map(event -> event.getString("name") + (event.containsKey("sub") ? ":" + event.getString("sub") : ""))
                .toList();
    }

    /** The same, sorted: for events that come from different nodes or timers, in either order. */
    public List<String> sortedEventsOf(String channel) {
        return eventsOf(channel).stream().sorted().toList();
    }

    /**
     * Waits (20 s at most) until the channel's events, sorted, are {@code expected} (any order), then for them to stay
     * so for {@code steady}: a copy sent by a second node would arrive within it.
     */
    public void awaitSteadily(String channel, List<String> expected, Duration steady) {
        List<String> sorted = expected.stream().sorted().toList();
        await().atMost(Duration.ofSeconds(20)).until(() -> sortedEventsOf(channel), equalTo(sorted));
        await().during(steady).atMost(steady.multipliedBy(3)).until(() -> sortedEventsOf(channel), equalTo(sorted));
    }

    /** From now on, POSTs are kept waiting for {@link #release}. */
    public void hold() {
        holding = true;
    }

    /** Answers the held POSTs and stops holding. */
    public void release() {
        holding = false;
        held.forEach(Runnable::run);
        held.clear();
    }

    public int heldCount() {
        return held.size();
    }

    /** Closes the port: connections are refused. */
    public void stop() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Listens again, on the same port. */
    public void start() {
        server = listen(port);
    }

    private HttpServer listen(int at) {
        try {
            return vertx.createHttpServer().requestHandler(this::received).listen(at, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the webhook receiver did not start on port " + at, e);
        }
    }

    private void received(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            String rawBody = body.toString(StandardCharsets.UTF_8);
            if (holding) {
                held.add(() -> accept(request, rawBody));
                return;
            }
            accept(request, rawBody);
        });
    }

    private void accept(HttpServerRequest request, String rawBody) {
        Delivery delivery = new Delivery(rawBody, request.headers(), System.currentTimeMillis());
        delivery.body().getJsonArray("events").forEach(event -> events.add((JsonObject) event));
        deliveries.add(delivery);
        request.response().setStatusCode(204).end();
    }

    @Override
    public void close() {
        vertx.close();
    }
}
