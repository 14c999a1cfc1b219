package io.wsc.api;

import java.time.Duration;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.wsc.metrics.WscMetrics;

/**
 * Every channel request must carry the access key ({@code access-key} header, any case); otherwise 401. An address
 * that sent too many wrong keys gets 429 for a while, even with the right one.
 */
public class AccessKeyFilter {

    static final String HEADER = "access-key";

    private static final Logger LOG = Logger.getLogger(AccessKeyFilter.class);

    private final AccessKey accessKey;
    private final FailedKeyLimiter limiter;
    private final WscMetrics metrics;

    AccessKeyFilter(AccessKey accessKey, FailedKeyLimiter limiter, WscMetrics metrics) {
        this.accessKey = accessKey;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    @ServerRequestFilter
    public Response requireAccessKey(ContainerRequestContext request, HttpServerRequest httpRequest) {
        String address = addressOf(httpRequest);
        Duration blocked = limiter.blockedFor(address);
        if (!blocked.isZero()) {
            metrics.keyRejected("rate_limited");
            return Response.fromResponse(ErrorBody.response(429,
                    "Too many wrong access keys from this address; try again later"))
                    .header("Retry-After", blocked.plusMillis(999).toSeconds()).build();
        }
        String presented = request.getHeaderString(HEADER);
        switch (accessKey.match(presented)) {
            case CURRENT:
                limiter.succeeded(address);
                return null;
            case PREVIOUS:
                limiter.succeeded(address);
                metrics.previousKeyUsed();
                return null;
            default:
                if (presented != null) { // a missing key is a mistake, not a guess
                    limiter.failed(address);
                    metrics.keyRejected("wrong_key");
                    LOG.debugf("Wrong access key from %s", address);
                }
                return ErrorBody.response(401, "Not authorized");
        }
    }

    private static String addressOf(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    }
}
