package io.wsc.ws;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.wsc.channel.Farewell;
import io.wsc.channel.SubscriberConnection;
import io.wsc.metrics.WscMetrics;

/**
 * Closes a connection when its subscriber token expires ({@link Farewell#TOKEN_EXPIRED}: WebSockets get 4401, event
 * streams a last {@code disconnected} event), so a revoked user stops receiving once its token runs out and the page
 * reconnects with a fresh one. One timer per connection, on its own event loop, cancelled when it closes: nothing
 * scans the connections.
 */
@ApplicationScoped
public class TokenExpiry {

    private final WscMetrics metrics;

    TokenExpiry(WscMetrics metrics) {
        this.metrics = metrics;
    }

    /** Closes {@code connection} at {@code closesAtMillis} (epoch ms) unless it closed before. */
    void watch(SubscriberConnection connection, long closesAtMillis) {
        long delay = Math.max(0, closesAtMillis - System.currentTimeMillis());
        ScheduledFuture<?> timer;
        try {
            timer = connection.socket().eventLoop().schedule(() -> expire(connection), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException loopStopped) {
            return; // the server is stopping, and closes every connection itself
        }
        connection.whenClosed(() -> timer.cancel(false));
    }

    private void expire(SubscriberConnection connection) {
        metrics.subscribersClosed(Farewell.TOKEN_EXPIRED, 1);
        connection.closeAfterQueuedPasses(Farewell.TOKEN_EXPIRED);
    }
}
