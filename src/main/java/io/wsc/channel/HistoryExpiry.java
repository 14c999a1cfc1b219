package io.wsc.channel;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.wsc.config.WscConfig;

/**
 * With history on, drops expired messages from channels that get no traffic (see {@link ChannelHub#expireHistory}),
 * so {@code wsc.history.ttl} bounds how long memory is held, not only what a subscriber gets.
 */
@ApplicationScoped
public class HistoryExpiry {

    private static final Duration LONGEST_INTERVAL = Duration.ofMinutes(1);
    private static final Duration SHORTEST_INTERVAL = Duration.ofSeconds(1);

    void start(@Observes StartupEvent event, Vertx vertx, ChannelHub hub, WscConfig config) {
        if (!hub.historyEnabled()) {
            return;
        }
        Duration ttl = config.history().ttl();
        Duration interval = ttl.compareTo(LONGEST_INTERVAL) > 0 ? LONGEST_INTERVAL
                : ttl.compareTo(SHORTEST_INTERVAL) < 0 ? SHORTEST_INTERVAL : ttl;
        vertx.setPeriodic(interval.toMillis(), interval.toMillis(), id -> hub.expireHistory());
    }
}
