package io.wsc.channel;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.wsc.config.WscConfig;

/**
 * Once per ping interval, drops the subscribers that answered none of the last two pings (see
 * {@link ChannelHub#dropSilentSubscribers}).
 */
@ApplicationScoped
public class SilentSubscriberSweep {

    private static final Logger LOG = Logger.getLogger(SilentSubscriberSweep.class);
    /** Pings a peer may leave unanswered before it counts as gone. */
    private static final int MISSED_PINGS = 2;

    void start(@Observes StartupEvent event, Vertx vertx, ChannelHub hub, WscConfig config) {
        long interval = config.pingInterval().toMillis();
        long silence = config.pingInterval().multipliedBy(MISSED_PINGS).toNanos();
        vertx.setPeriodic(interval, interval, id -> {
            int dropped = hub.dropSilentSubscribers(silence);
            if (dropped > 0) {
                LOG.infof("Dropped %d subscribers that stopped answering pings", dropped);
            }
        });
    }
}
