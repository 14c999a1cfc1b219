package io.wsc.api;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.vertx.core.http.HttpServerRequest;
import io.wsc.lifecycle.GracefulShutdown;

/** Every channel request needs the access key ({@link AccessGate}); answered here with 401 or 429 if it has none. */
public class AccessKeyFilter {

    private final AccessGate gate;
    private final GracefulShutdown shutdown;

    AccessKeyFilter(AccessGate gate, GracefulShutdown shutdown) {
        this.gate = gate;
        this.shutdown = shutdown;
    }

    /** Null lets the request through. */
    @ServerRequestFilter
    public Response checkKey(HttpServerRequest request) {
        if (shutdown.isShuttingDown()) {
            // A publisher on a kept-alive connection reconnects, to another node once this one is out of the endpoints.
            request.response().putHeader(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        AccessGate.Refusal refusal = gate.check(request);
        if (refusal == null) {
            return null;
        }
        return refusal.retryAfterSeconds() > 0
                ? JsonAnswer.retryLater(refusal.status(), refusal.sentence(), refusal.retryAfterSeconds())
                : JsonAnswer.error(refusal.status(), refusal.sentence());
    }
}
