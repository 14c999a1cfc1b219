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

    /** Why a request was turned away: its status, sentence and, for 429, the seconds to wait (0 otherwise). */
    record Refusal(int status, String sentence, long retryAfterSeconds) {
    }

    private static final Refusal NOT_AUTHORIZED = new Refusal(401, "Not authorized", 0);

    private final AccessKey accessKey;
    private final FailedKeyLimiter limiter;
    private final WscMetrics metrics;

    AccessGate(AccessKey accessKey, FailedKeyLimiter limiter, WscMetrics metrics) {
        this.accessKey = accessKey;
        this.limiter = limiter;
        this.metrics = metrics;
    }

    /** Null when the request may go on; otherwise why not (401 or 429). */
    Refusal check(HttpServerRequest request) {
        // The address is looked up only when some address has failed before: it costs more than the key check.
        String address = limiter.isTracking() ? addressOf(request) : null;
        Duration blocked = address == null ? Duration.ZERO : limiter.blockedFor(address);
        if (!blocked.isZero()) {
            metrics.keyRejected("rate_limited");
            return new Refusal(429, "Too many wrong access keys from this address; try again later",
                    blocked.plusMillis(999).toSeconds());
        }
        String presented = presentedKey(request);
        switch (accessKey.match(presented)) {
            case CURRENT:
                forgiven(address);
                return null;
            case PREVIOUS:
                forgiven(address);
                metrics.previousKeyUsed();
                return null;
            default:
                if (presented != null) { // a missing key is a mistake, not a guess
                    String guesser = address == null ? addressOf(request) : address;
                    limiter.failed(guesser);
                    metrics.keyRejected("wrong_key");
                    LOG.debugf("Wrong access key from %s", guesser);
                }
                return NOT_AUTHORIZED;
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
