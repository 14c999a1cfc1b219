package io.wsc.support;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * A real WebSocket client (Vert.x, its own event loops, separate from the server's) that records every frame it
 * receives and how the connection was closed.
 */
public final class TestSubscriber implements AutoCloseable {

    private static final Vertx CLIENT_VERTX = Vertx.vertx();
    private static final WebSocketClient CLIENT = CLIENT_VERTX.createWebSocketClient(new WebSocketClientOptions()
            .setMaxFrameSize(2 * 1024 * 1024).setMaxMessageSize(2 * 1024 * 1024).setMaxConnections(20_000));

    /** Text frames arrive as String, binary frames as byte[]. */
    public final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    /** The close frame's reason, set before {@link #closeCode} completes; null when there was none. */
    public volatile String closeReason;
    private final WebSocket socket;

    private TestSubscriber(WebSocket socket) {
        this.socket = socket;
        socket.textMessageHandler(received::add);
        socket.binaryMessageHandler(buffer -> received.add(buffer.getBytes()));
        socket.closeHandler(v -> {
            closeReason = socket.closeReason();
            closeCode.complete(socket.closeStatusCode() == null ? -1 : (int) socket.closeStatusCode());
        });
    }

    /** Connects to {@code path} (raw, as it goes on the wire) on the server at {@code base}. */
    public static TestSubscriber connect(URI base, String path) {
        return await(connectAsync(base, path));
    }

    public static CompletableFuture<TestSubscriber> connectAsync(URI base, String path) {
        return connectAsync(base, path, Map.of());
    }

    /** Connects with extra upgrade headers (e.g. {@code Origin}). */
    public static CompletableFuture<TestSubscriber> connectAsync(URI base, String path, Map<String, String> headers) {
        return connectAsync(base, path, headers, java.util.List.of());
    }

    /** Connects offering WebSocket subprotocols (e.g. {@code wsc.v1.json}). */
    public static TestSubscriber connect(URI base, String path, String subprotocol) {
        return await(connectAsync(base, path, Map.of(), java.util.List.of(subprotocol)));
    }

    public static CompletableFuture<TestSubscriber> connectAsync(URI base, String path, Map<String, String> headers,
            java.util.List<String> subprotocols) {
        WebSocketConnectOptions options = new WebSocketConnectOptions().setSubProtocols(subprotocols)
                .setHost(base.getHost()).setPort(base.getPort()).setURI(path)
                // Vert.x adds an Origin of its own unless told not to: tests send one only when they mean to.
                .setAllowOriginHeader(headers.keySet().stream().anyMatch("Origin"::equalsIgnoreCase));
        headers.forEach(options::addHeader);
        return CLIENT.connect(options).map(TestSubscriber::new).toCompletionStage().toCompletableFuture();
    }

    /** The upgrade's HTTP status: 101 when it was accepted (the connection is then closed again), else the refusal. */
    public static int upgradeStatus(URI base, String path, Map<String, String> headers) {
        return upgradeStatus(base, path, headers, java.util.List.of());
    }

    /** The same, offering WebSocket subprotocols (e.g. {@code wsc.v1.json}). */
    public static int upgradeStatus(URI base, String path, Map<String, String> headers,
            java.util.List<String> subprotocols) {
        try (TestSubscriber subscriber = connectAsync(base, path, headers, subprotocols).get(10, TimeUnit.SECONDS)) {
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UpgradeRejectedException rejected) {
                return rejected.getStatus();
            }
            throw new AssertionError("Upgrade of " + path + " failed: " + e.getCause(), e);
        } catch (Exception e) {
            throw new AssertionError("Upgrade of " + path + " failed: " + e, e);
        }
    }

    public Object next() throws InterruptedException {
        Object message = received.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("No message within 10 s");
        }
        return message;
    }

    /** Nothing arrives within {@code quiet}. */
    public boolean staysSilent(Duration quiet) throws InterruptedException {
        return received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    public void sendText(String text) {
        await(socket.writeTextMessage(text).toCompletionStage().toCompletableFuture());
    }

    public void sendFrameOfSize(int bytes) {
        socket.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(new byte[bytes]));
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    public int awaitClose() {
        return await(closeCode);
    }

    @Override
    public void close() {
        if (!socket.isClosed()) {
            await(socket.close().toCompletionStage().toCompletableFuture());
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("WebSocket operation failed: " + e, e);
        }
    }
}
