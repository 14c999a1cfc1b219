package io.wsc.presence;

import io.smallrye.mutiny.Uni;

/**
 * Who is subscribed to a channel, as the broker knows it (this node with the memory broker, the cluster with Redis),
 * and the join and leave events of those who watch it ({@code ?presence=events}). Only connections whose token
 * names a {@code sub} take part; everyone else costs nothing here.
 */
public interface Presence {

    /**
     * One more connection of {@code client} subscribes to the channel: counted on this node at once (whether or not
     * the result is subscribed to); completes once the broker counts it too (before the subscriber is answered).
     */
    Uni<Void> joined(String channelId, ClientIdentity client);

    /** One connection of {@code client} left the channel. */
    void left(String channelId, ClientIdentity client);

    /** This node has a subscriber that takes the channel's presence events: completes once they reach it. */
    Uni<Void> watched(String channelId);

    /** A watcher of the channel left; {@code remaining} watchers of it are left on this node. */
    void unwatched(String channelId, int remaining);

    /** The channel's clients, at most {@code max}, ordered by {@code sub}. */
    Uni<PresenceList> list(String channelId, int max);
}
