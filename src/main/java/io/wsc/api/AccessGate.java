package io.wsc.api;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.wsc.metrics.WscMetrics;

/**
 * Every channel request must carry the access key ({@code access-key} header, any case); otherwise 401. An address
 * that sent too many wrong keys gets 429 for a while, even with the right one.
 */
@Singleton
public class AccessGate {

    static final String HEADER = "access-key";

    private static final Logger LOG = Logger.getLogger(AccessGate.class);

    private final AccessKey accessKey;
    private final FailedKeyLimiter limiter;
    private final WscMetrics metrics;

    AccessGate(AccessKey accessKey, FailedKeyLimiter limiter, WscMetrics metrics) {
        this.accessKey = accessKey;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    /** True when the request may go on; otherwise it has been answered (401 or 429). */
    boolean admits(HttpServerRequest request) {
        // The address is looked up only when some address has failed before: it costs more than the key check.
        String address = limiter.isTracking() ? addressOf(request) : null;
        Duration blocked = address == null ? Duration.ZERO : limiter.blockedFor(address);
        if (!blocked.isZero()) {
            metrics.keyRejected("rate_limited");
            request.response().putHeader("Retry-After", Long.toString(blocked.plusMillis(999).toSeconds()));
            JsonAnswer.error(request.response(), 429, "Too many wrong access keys from this address; try again later");
            return false;
        }
        String presented = presentedKey(request);
        switch (accessKey.match(presented)) {
            case CURRENT:
                forgiven(address);
                return true;
            case PREVIOUS:
                forgiven(address);
                metrics.previousKeyUsed();
                return true;
            default:
                if (presented != null) { // a missing key is a mistake, not a guess
                    String guesser = address == null ? addressOf(request) : address;
                    limiter.failed(guesser);
                    metrics.keyRejected("wrong_key");
                    LOG.debugf("Wrong access key from %s", guesser);
                }
                JsonAnswer.error(request.response(), 401, "Not authorized");
                return false;
        }
    }

    private void forgiven(String address) {
        if (address != null) {
            limiter.succeeded(address);
        }
    }

    /** The key sent; a header sent twice counts as both values joined, which no key matches. */
    private static String presentedKey(HttpServerRequest request) {
        List<String> values = request.headers().getAll(HEADER);
        return values.isEmpty() ? null : values.size() == 1 ? values.get(0) : String.join(",", values);
    }

    private static String addressOf(HttpServerRequest request) {
        SocketAddress remote = request.remoteAddress();
        return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    }
}
