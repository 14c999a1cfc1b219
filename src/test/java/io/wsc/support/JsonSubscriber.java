package io.wsc.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;

/**
 * A {@code wsc.v1.json} subscriber on the JDK's WebSocket client. Not {@link TestSubscriber}: the Vert.x 4.5 client
 * loses, now and then (about 1 connect in 30 here), a frame that arrives right behind the 101, which is exactly where
 * a resume's catch-up goes; a raw socket and the JDK client always get it.
 */
public final class JsonSubscriber implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
    private final WebSocket socket;
    private int caughtUpSignals;

    private JsonSubscriber(URI uri) throws Exception {
        this.socket = HTTP.newWebSocketBuilder().subprotocols("wsc.v1.json").connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.add(new JsonObject(text.toString()));
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }

    /** Connects to {@code path} (with its query) on the server at {@code base} (an http URI). */
    public static JsonSubscriber connect(URI base, String path) throws Exception {
        return new JsonSubscriber(URI.create("ws://" + base.getHost() + ":" + base.getPort() + path));
    }

    public JsonObject next() throws InterruptedException {
        JsonObject message = received.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("No message within 10 s");
        }
        return message;
    }

    /**
     * The next message when publishes race a resume: passes over the one {@code caught_up} signal wherever it falls
     * between them, and counts it ({@link #caughtUpSignals}).
     */
    public JsonObject nextMessage() throws InterruptedException {
        JsonObject frame = next();
        if ("caught_up".equals(frame.getString("type"))) {
            caughtUpSignals++;
            frame = next();
        }
        return frame;
    }

    /** The caught_up signals {@link #nextMessage} passed over. */
    public int caughtUpSignals() {
        return caughtUpSignals;
    }

    /** The next frame, or null when none arrives within {@code wait}. */
    public JsonObject poll(Duration wait) throws InterruptedException {
        return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean staysSilent(Duration quiet) throws InterruptedException {
        return received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    @Override
    public void close() {
        socket.abort();
    }
}
