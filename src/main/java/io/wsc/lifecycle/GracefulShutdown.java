package io.wsc.lifecycle;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.Subscriber;

/**
 * On SIGTERM: readiness is already DOWN (Quarkus's shutdown delay), new upgrades are refused, publishers are told to
 * reconnect (AccessKeyFilter), and every subscriber is closed with 1001 so browsers reconnect elsewhere. Once the delay is
 * over Quarkus stops at once: no {@code quarkus.shutdown.timeout}, which an upgraded WebSocket always runs out.
 */
@ApplicationScoped
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);
    /** How long a subscriber gets to take its close frame before its connection is dropped. */
    private static final Duration CLOSE_GRACE = Duration.ofMillis(500);

    private final ChannelHub hub;
    private final Vertx vertx;
    private volatile boolean shuttingDown;

    GracefulShutdown(ChannelHub hub, Vertx vertx) {
        this.hub = hub;
        this.vertx = vertx;
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        closeAllSubscribers();
    }

    void onShutdown(@Observes ShutdownEvent event) {
        closeAllSubscribers(); // when the shutdown delay is disabled, this is the first we hear of it
    }

    private synchronized void closeAllSubscribers() {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        var subscribers = hub.subscribers();
        LOG.infof("Shutting down: closing %d subscribers with 1001", subscribers.size());
        subscribers.forEach(Subscriber::closeGracefully);
        vertx.setTimer(CLOSE_GRACE.toMillis(), id -> subscribers.forEach(Subscriber::closeNow));
    }
}
