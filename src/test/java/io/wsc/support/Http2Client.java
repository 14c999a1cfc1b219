package io.wsc.support;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PfxOptions;
import io.wsc.support.EventStreamClient.Event;

/**
 * Vert.x's HTTP/2 client with a pool of one connection: every event stream and publish it makes is a stream of that one
 * connection (TLS with ALPN and the test certificate, or cleartext h2c).
 */
public final class Http2Client implements AutoCloseable {

    private final HttpClient client;

    private Http2Client(HttpClient client) {
        this.client = client;
    }

    /** For {@code base}'s host and port: TLS when its scheme is https, h2c by prior knowledge otherwise. */
    public static Http2Client to(Vertx vertx, URI base) {
        return to(vertx, base, false);
    }

    /** {@link #to(Vertx, URI)}; {@code upgrade}: h2c starts with an HTTP/1.1 request that asks for h2c. */
    public static Http2Client to(Vertx vertx, URI base, boolean upgrade) {
        HttpClientOptions options = new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
                .setDefaultHost(base.getHost()).setDefaultPort(base.getPort())
                .setHttp2MultiplexingLimit(1000).setHttp2ClearTextUpgrade(upgrade)
                // A paused stream then runs out of its own window (64 KiB), not of the connection's.
                .setHttp2ConnectionWindowSize(16 * 1024 * 1024);
        if ("https".equals(base.getScheme())) {
            options.setSsl(true).setUseAlpn(true)
                    .setTrustOptions(new PfxOptions().setPath(TestCertificate.keyStore().toString())
                            .setPassword(TestCertificate.PASSWORD));
        }
        return new Http2Client(vertx.createHttpClient(options, new PoolOptions().setHttp2MaxSize(1)));
    }

    /** An event stream of {@code path}, once its head arrived. */
    public Stream subscribe(String path, Map<String, String> headers) throws Exception {
        CompletableFuture<Stream> opened = new CompletableFuture<>();
        client.request(HttpMethod.GET, path).onSuccess(request -> {
            request.putHeader("accept", "text/event-stream");
            headers.forEach(request::putHeader);
            request.send().onSuccess(response -> opened.complete(new Stream(request, response)))
                    .onFailure(opened::completeExceptionally);
        }).onFailure(opened::completeExceptionally);
        return opened.get(10, TimeUnit.SECONDS);
    }

    /** A request with a body (a publish: POST with the key) over the same connection; its response. */
    public Answer send(HttpMethod method, String path, Map<String, String> headers, String body) throws Exception {
        CompletableFuture<Answer> answered = new CompletableFuture<>();
        client.request(method, path).onSuccess(request -> {
            headers.forEach(request::putHeader);
            request.send(body == null ? Buffer.buffer() : Buffer.buffer(body))
                    .onSuccess(response -> response.body().onSuccess(content -> answered.complete(new Answer(
                            response.statusCode(), response.version(), request.connection(),
                            content.toString(StandardCharsets.UTF_8)))).onFailure(answered::completeExceptionally))
                    .onFailure(answered::completeExceptionally);
        }).onFailure(answered::completeExceptionally);
        return answered.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** A complete answer. */
    public record Answer(int status, HttpVersion version, HttpConnection connection, String body) {
    }

    /** One event stream: its response head, the events as they arrive, and a way to reset it. */
    public static final class Stream {

        private final HttpClientRequest request;
        private final HttpClientResponse response;
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<Throwable> ended = new CompletableFuture<>();

        Stream(HttpClientRequest request, HttpClientResponse response) {
            this.request = request;
            this.response = response;
            EventStreamParser parser = new EventStreamParser(events);
            response.handler(buffer -> parser.feed(buffer.getBytes()));
            response.exceptionHandler(ended::complete);
            response.endHandler(done -> ended.complete(null));
        }

        public int status() {
            return response.statusCode();
        }

        public HttpVersion version() {
            return response.version();
        }

        public String header(String name) {
            return response.getHeader(name);
        }

        public HttpConnection connection() {
            return request.connection();
        }

        /** The next event with data or a type (comments and the opening retry skipped); fails after 10 s. */
        public Event next() throws InterruptedException {
            while (true) {
                Event event = events.poll(10, TimeUnit.SECONDS);
                if (event == null) {
                    throw new AssertionError("No event within 10 s");
                }
                if (!event.isComment() && (event.data() != null || event.type() != null)) {
                    return event;
                }
            }
        }

        /** The next comment line (a heartbeat); fails after 10 s. */
        public Event nextComment() throws InterruptedException {
            while (true) {
                Event event = events.poll(10, TimeUnit.SECONDS);
                if (event == null) {
                    throw new AssertionError("No comment within 10 s");
                }
                if (event.isComment()) {
                    return event;
                }
            }
        }

        /** Stops reading: the client then gives the server no more flow-control credit for this stream. */
        public void pause() {
            response.pause();
        }

        /** Resets the stream (RST_STREAM, CANCEL). */
        public void reset() {
            request.reset();
        }

        /** Waits for the stream to end; what ended it (a reset arrives as an exception), or null for a proper end. */
        public Throwable awaitEnd(Duration timeout) throws Exception {
            return ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public boolean hasEnded() {
            return ended.isDone();
        }
    }
}
