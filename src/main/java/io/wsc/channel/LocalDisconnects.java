package io.wsc.channel;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.wsc.metrics.WscMetrics;

/**
 * Closes this node's connections that a {@link Disconnect} names, with {@link Farewell#DISCONNECTED}: WebSockets get
 * 4403, event streams a last {@code disconnected} event. A connection with several channels closes as a whole when one
 * of them is named. Each closes behind the messages already queued for it, so what was published before the request
 * still arrives first.
 */
@Singleton
public class LocalDisconnects {

    private static final Logger LOG = Logger.getLogger(LocalDisconnects.class);

    private final ChannelHub hub;
    private final ClientConnections clients;
    private final WscMetrics metrics;

    LocalDisconnects(ChannelHub hub, ClientConnections clients, WscMetrics metrics) {
        this.hub = hub;
        this.clients = clients;
        this.metrics = metrics;
    }

    /** Closes what {@code request} names on this node; returns how many connections that was. */
    public int disconnect(Disconnect request) {
        Collection<SubscriberConnection> named = request.channelId() != null
                ? connectionsOf(hub.subscribersOf(request.channelId()))
                : clients.of(request.sub());
        named.forEach(connection -> connection.closeAfterQueuedPasses(Farewell.DISCONNECTED));
        if (!named.isEmpty()) {
            metrics.subscribersClosed(Farewell.DISCONNECTED, named.size());
            LOG.debugf("Disconnected %d connections (%s)", named.size(), request);
        }
        return named.size();
    }

    private static Set<SubscriberConnection> connectionsOf(Collection<Subscriber> subscribers) {
        return subscribers.stream().map(Subscriber::connection).collect(Collectors.toSet());
    }
}
