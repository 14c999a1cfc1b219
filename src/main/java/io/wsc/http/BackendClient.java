package io.wsc.http;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * JSON POSTs to one URL of the operator's backend (the subscribe hook, webhooks), over pooled keep-alive connections.
 * A request's answer is its status; the body is read only so that the connection can be reused.
 */
public final class BackendClient implements AutoCloseable {

    private final URI url;
    private final HttpClient client;

    /** @param connectTimeout also how long a connection may take to open */
    public BackendClient(Vertx vertx, URI url, int maxConnections, Duration connectTimeout) {
        this.url = url;
        this.client = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(maxConnections).setKeepAlive(true)
                .setConnectTimeout((int) Math.max(1, connectTimeout.toMillis())));
    }

    /**
     * POSTs {@code json} with {@code headers}; fails when the backend stays silent for {@code idleTimeout} (which frees
     * the connection of a backend that never answers).
     */
    public Future<Integer> post(String json, Map<String, String> headers, Duration idleTimeout) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString())
                .setIdleTimeout(idleTimeout.toMillis()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        headers.forEach(options::putHeader);
        return client.request(options)
                .compose(request -> request.send(Buffer.buffer(json)))
                .compose(response -> response.body().map(body -> response.statusCode()));
    }

    public static boolean isSuccess(int status) {
        return status >= 200 && status < 300;
    }

    /** {@code 401}, {@code 403}, or the status's class ({@code 4xx}, {@code 5xx}): a small set, fit for a label. */
    public static String statusClass(int status) {
        return status == 401 || status == 403 ? Integer.toString(status) : (status / 100) + "xx";
    }

    @Override
    public void close() {
        client.close();
    }
}
