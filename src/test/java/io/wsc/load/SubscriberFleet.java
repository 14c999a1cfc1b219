package io.wsc.load;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Many WebSocket subscribers (Vert.x client, its own event loops) spread over channels: by default subscriber
 * {@code i} listens to channel {@code i % channels.size()}; given a layout, to each channel it names (one connection,
 * several channels, in {@code wsc.v1.json}). Each subscription records its deliveries in a {@link DeliveryLedger} and
 * every message's publish-to-receive latency goes to one shared {@link LatencyHistogram}.
 */
public final class SubscriberFleet implements AutoCloseable {

    private static final int CONNECTING_AT_ONCE = 256;

    private final Vertx vertx;
    private final WebSocketClient client;
    private final URI base;
    private final List<String> channels;
    private final List<WebSocket> sockets = new ArrayList<>();
    private final List<DeliveryLedger> ledgers = new ArrayList<>();
    private final LatencyHistogram latency;
    /** Subscribe with {@code wsc.v1.json}: each message arrives as {@code {"id":"..","data":".."}}. */
    private final boolean jsonFrames;
    /** Connection {@code i}'s channels, as indexes into {@link #channels}. */
    private final IntFunction<int[]> layout;

    public SubscriberFleet(URI base, List<String> channels, LatencyHistogram latency) {
        this(base, channels, latency, false);
    }

    public SubscriberFleet(URI base, List<String> channels, LatencyHistogram latency, boolean jsonFrames) {
        this(base, channels, latency, jsonFrames, i -> new int[] { i % channels.size() });
    }

    public SubscriberFleet(URI base, List<String> channels, LatencyHistogram latency, boolean jsonFrames,
            IntFunction<int[]> layout) {
        this.jsonFrames = jsonFrames;
        this.layout = layout;
        this.base = base;
        this.channels = channels;
        this.latency = latency;
        // epoll, as the shared load generator's libuv: with NIO's selector this generator took about 0.2 cores more
        // than loadgen.js in scenario b, cores the server then lacked (its latencies read 1.4-1.8x loadgen's)
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setPreferNativeTransport(true));
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1_000_000)
                .setMaxFrameSize(2 * 1024 * 1024).setMaxMessageSize(2 * 1024 * 1024).setConnectTimeout(30_000));
    }

    /**
     * Connects {@code count} more subscribers, at most a few hundred handshakes in flight at once (a new one starts as
     * soon as one finishes, as the shared load generator does); fails if any cannot connect.
     */
    public void connect(int count) throws Exception {
        Semaphore handshakes = new Semaphore(CONNECTING_AT_ONCE);
        List<CompletableFuture<WebSocket>> connecting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            handshakes.acquire();
            connecting.add(connectOne(sockets.size() + i).whenComplete((socket, error) -> handshakes.release()));
        }
        for (CompletableFuture<WebSocket> socket : connecting) {
            sockets.add(socket.get(60, TimeUnit.SECONDS));
        }
    }

    private CompletableFuture<WebSocket> connectOne(int index) {
        int[] of = layout.apply(index);
        if (of.length > 1 && !jsonFrames) {
            throw new IllegalArgumentException("several channels on one connection need wsc.v1.json frames");
        }
        String[] names = new String[of.length];
        DeliveryLedger[] byChannel = new DeliveryLedger[of.length];
        StringBuilder uri = new StringBuilder("/").append(channels.get(of[0]));
        for (int k = 0; k < of.length; k++) {
            names[k] = channels.get(of[k]);
            byChannel[k] = new DeliveryLedger(of[k]);
            if (k > 0) {
                uri.append(k == 1 ? '?' : '&').append("channel=")
                        .append(URLEncoder.encode(names[k], StandardCharsets.UTF_8));
            }
        }
        synchronized (ledgers) {
            ledgers.addAll(List.of(byChannel));
        }
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(base.getHost())
                .setPort(base.getPort()).setURI(uri.toString());
        if (jsonFrames) {
            options.addSubProtocol("wsc.v1.json");
        }
        Future<WebSocket> connected = client.connect(options).onSuccess(socket -> socket.textMessageHandler(text -> {
            long now = System.nanoTime();
            String data = jsonFrames ? dataOf(text) : text;
            StampedMessage message = data == null ? null : StampedMessage.decode(data);
            DeliveryLedger ledger = of.length == 1 ? byChannel[0] : ledgerOf(text, names, byChannel);
            if (message != null && ledger != null) {
                latency.record(now - message.sentNanos());
                ledger.received(message.seq(), now);
            }
        }));
        return connected.toCompletionStage().toCompletableFuture();
    }

    /**
     * The ledger of the channel a multiplexed frame names first ({@code {"channel":"..",...}}); the fleet's channel
     * names need no JSON escapes. Null for a frame of none of them.
     */
    static DeliveryLedger ledgerOf(String frame, String[] names, DeliveryLedger[] ledgers) {
        String prefix = "{\"channel\":\"";
        if (!frame.startsWith(prefix)) {
            return null;
        }
        int end = frame.indexOf('"', prefix.length());
        for (int k = 0; k < names.length; k++) {
            if (names[k].length() == end - prefix.length() && frame.startsWith(names[k], prefix.length())) {
                return ledgers[k];
            }
        }
        return null;
    }

    /**
     * The {@code data} of a {@code wsc.v1.json} frame: stamped messages are plain ASCII, so the string needs no
     * unescaping; null for a frame without data.
     */
    static String dataOf(String frame) {
        int start = frame.indexOf("\"data\":\"");
        if (start < 0) {
            return null;
        }
        start += 8;
        return frame.substring(start, frame.indexOf('"', start));
    }

    public int size() {
        return sockets.size();
    }

    /** Subscribers the server has closed (or whose connection dropped). */
    public long closedByServer() {
        return sockets.stream().filter(WebSocket::isClosed).count();
    }

    /** Distinct messages received over all subscribers. */
    public long delivered() {
        return ledgers().stream().mapToLong(DeliveryLedger::unique).sum();
    }

    /** When the latest message reached any subscriber ({@link System#nanoTime()}), 0 before the first. */
    public long lastDeliveryNanos() {
        return ledgers().stream().mapToLong(DeliveryLedger::lastNanos).max().orElse(0);
    }

    public List<DeliveryLedger> ledgers() {
        synchronized (ledgers) {
            return List.copyOf(ledgers);
        }
    }

    /** Closes every subscriber (close handshake) and waits for it. */
    public void closeAll() throws Exception {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (WebSocket socket : sockets) {
            closing.add(socket.close().toCompletionStage().toCompletableFuture());
        }
        for (CompletableFuture<Void> c : closing) {
            try {
                c.get(30, TimeUnit.SECONDS);
            } catch (Exception alreadyClosed) {
                // closed by the server earlier, or the peer answered late: the socket is gone either way
            }
        }
    }

    @Override
    public void close() throws Exception {
        closeAll();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
