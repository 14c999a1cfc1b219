package io.wsc.channel;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

/**
 * This node's open connections by the {@code sub} their subscriber token names, so the backend can close one client's
 * connections without a scan of all of them. A connection is here from its admission until it closes.
 */
@Singleton
public class ClientConnections {

    private final ConcurrentHashMap<String, Set<SubscriberConnection>> bySub = new ConcurrentHashMap<>();

    /** Adds the connection under {@code sub} until it closes. */
    public void add(String sub, SubscriberConnection connection) {
        bySub.computeIfAbsent(sub, key -> ConcurrentHashMap.newKeySet()).add(connection);
        connection.whenClosed(() -> remove(sub, connection));
    }

    private void remove(String sub, SubscriberConnection connection) {
        bySub.computeIfPresent(sub, (key, connections) -> {
            connections.remove(connection);
            return connections.isEmpty() ? null : connections;
        });
    }

    /** The client's open connections on this node (a copy). */
    Set<SubscriberConnection> of(String sub) {
        Set<SubscriberConnection> connections = bySub.get(sub);
        return connections == null ? Set.of() : Set.copyOf(connections);
    }
}
