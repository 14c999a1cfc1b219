package io.wsc.broker;

import io.smallrye.mutiny.Uni;
import io.wsc.channel.PresenceFeed;
import io.wsc.presence.ClientIdentity;
import io.wsc.presence.Presence;
import io.wsc.presence.PresenceCounts;
import io.wsc.presence.PresenceList;

/**
 * The in-memory broker's presence: this node's counts are the channel's. A client joins when its count on a channel
 * goes from 0 to 1 and leaves when it goes back to 0; the event goes to the watchers under the count's lock, so a
 * client's joins and leaves reach them in order.
 */
final class LocalPresence implements Presence {

    private final PresenceCounts counts;
    private final PresenceFeed feed;

    LocalPresence(PresenceCounts counts, PresenceFeed feed) {
        this.counts = counts;
        this.feed = feed;
    }

    @Override
    public Uni<Void> joined(String channelId, ClientIdentity client) {
        counts.add(channelId, client, () -> feed.changed(channelId, true, client));
        return Uni.createFrom().voidItem();
    }

    @Override
    public void left(String channelId, ClientIdentity client) {
        counts.remove(channelId, client, () -> feed.changed(channelId, false, client));
    }

    @Override
    public Uni<Void> watched(String channelId) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public void unwatched(String channelId, int remaining) {
    }

    @Override
    public Uni<PresenceList> list(String channelId, int max) {
        return Uni.createFrom().item(() -> counts.list(channelId, max));
    }
}
