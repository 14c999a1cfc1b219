package io.wsc.http;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open connections per client address, for {@code wsc.max-connections-per-address}. Connections are accepted on one
 * thread and closed on many: each count changes atomically, and an address leaves the map with its last connection.
 */
final class AddressCounts {

    /** An address's open connections, and whether it was refused since it last was below the limit. */
    private record Count(int open, boolean refused) {
    }

    enum Verdict {
        ACCEPTED,
        /** Refused, and the first refusal since the address was last below the limit: worth a log line. */
        REFUSED_FIRST,
        REFUSED
    }

    private final int max;
    private final ConcurrentHashMap<InetAddress, Count> counts = new ConcurrentHashMap<>();

    AddressCounts(int max) {
        this.max = max;
    }

    Verdict acquire(InetAddress address) {
        Verdict[] verdict = new Verdict[1];
        counts.compute(address, (key, count) -> {
            if (count == null) {
                verdict[0] = Verdict.ACCEPTED;
                return new Count(1, false);
            }
            if (count.open() >= max) {
                verdict[0] = count.refused() ? Verdict.REFUSED : Verdict.REFUSED_FIRST;
                return new Count(count.open(), true);
            }
            verdict[0] = Verdict.ACCEPTED;
            return new Count(count.open() + 1, false);
        });
        return verdict[0];
    }

    void release(InetAddress address) {
        counts.computeIfPresent(address, (key, count) -> count.open() == 1 ? null : new Count(count.open() - 1, false));
    }

    int open(InetAddress address) {
        Count count = counts.get(address);
        return count == null ? 0 : count.open();
    }
}
