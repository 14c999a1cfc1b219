package io.wsc.api;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.wsc.config.WscConfig;

/**
 * Remembers wrong access keys per client address: after {@code wsc.key-failures.max} of them within the window, the
 * address is refused (429) for a whole window, which makes guessing the key by trying hopelessly slow.
 */
@ApplicationScoped
public class FailedKeyLimiter {

    /** Addresses tracked at most; past it expired entries are purged, and new addresses go untracked until then. */
    static final int MAX_TRACKED = 100_000;

    private record Failures(long sinceNanos, int count) {
    }

    private final ConcurrentHashMap<String, Failures> byAddress = new ConcurrentHashMap<>();
    private final int max;
    private final long windowNanos;

    FailedKeyLimiter(WscConfig config) {
        this.max = config.keyFailures().max();
        this.windowNanos = config.keyFailures().window().toNanos();
    }

    /** False while no address has a wrong key on record: then nobody is refused and nobody needs forgiving. */
    public boolean isTracking() {
        return !byAddress.isEmpty();
    }

    /** How long the address stays refused, or {@link Duration#ZERO} when it is not. */
    public Duration blockedFor(String address) {
        Failures failures = byAddress.get(address);
        if (failures == null || failures.count < max) {
            return Duration.ZERO;
        }
        long left = failures.sinceNanos + windowNanos - System.nanoTime();
        if (left <= 0) {
            byAddress.remove(address, failures);
            return Duration.ZERO;
        }
        return Duration.ofNanos(left);
    }

    public void failed(String address) {
        long now = System.nanoTime();
        if (byAddress.size() >= MAX_TRACKED) {
            byAddress.values().removeIf(failures -> now - failures.sinceNanos > windowNanos);
            if (byAddress.size() >= MAX_TRACKED && !byAddress.containsKey(address)) {
                return;
            }
        }
        byAddress.compute(address, (key, failures) -> {
            if (failures == null || now - failures.sinceNanos > windowNanos) {
                return new Failures(now, 1);
            }
            // Reaching the maximum starts a full window of refusal.
            return failures.count + 1 >= max ? new Failures(now, max) : new Failures(failures.sinceNanos, failures.count + 1);
        });
    }

    public void succeeded(String address) {
        if (!byAddress.isEmpty()) {
            byAddress.remove(address);
        }
    }
}
