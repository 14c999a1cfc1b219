package io.wsc.channel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What is queued for one event loop's subscribers, across channels, and not yet written to their sockets: messages
 * (for how far a publish may be answered ahead of its fan-out) and their body bytes (the memory a burst of
 * publishes may hold before the next one is refused). Updated by any thread; read without a lock, so concurrent
 * publishes to other channels may overshoot a bound by one message each.
 */
final class FanOutBacklog {

    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    void queued(Publication publication) {
        messages.incrementAndGet();
        bytes.addAndGet(publication.bodyLength);
    }

    void written(Publication publication) {
        messages.decrementAndGet();
        bytes.addAndGet(-publication.bodyLength);
    }

    int messages() {
        return messages.get();
    }

    long bytes() {
        return bytes.get();
    }
}
