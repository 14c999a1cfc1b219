package io.wsc.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.wsc.channel.CatchUp;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.ChannelStats;
import io.wsc.channel.Disconnect;
import io.wsc.channel.LocalDisconnects;
import io.wsc.channel.Message;
import io.wsc.channel.PresenceFeed;
import io.wsc.channel.Published;
import io.wsc.presence.Presence;
import io.wsc.presence.PresenceCounts;
import io.wsc.webhook.Occupancy;

/** The default in-memory broker: one node, so a publish goes straight to the local hub. */
@Singleton
@Typed(LocalBroker.class)
public class LocalBroker implements Broker {

    private static final Occupancy LOCAL_OCCUPANCY = new Occupancy() {
        @Override
        public Uni<Long> claim(String channelId, String sub) {
            return Uni.createFrom().item(System::currentTimeMillis);
        }

        @Override
        public Uni<Long> release(String channelId, String sub) {
            return Uni.createFrom().item(System::currentTimeMillis);
        }
    };

    private final ChannelHub hub;
    private final LocalPresence presence;
    private final LocalDisconnects disconnects;

    LocalBroker(ChannelHub hub, PresenceCounts counts, PresenceFeed feed, LocalDisconnects disconnects) {
        this.hub = hub;
        this.disconnects = disconnects;
        this.presence = new LocalPresence(counts, feed);
    }

    @Override
    public CompletionStage<Published> publish(Message message) {
        return hub.deliver(message);
    }

    @Override
    public CompletionStage<CatchUp> catchUp(String channelId, long since) {
        return CompletableFuture.completedStage(hub.catchUp(channelId, since));
    }

    @Override
    public CompletionStage<CatchUp> latest(String channelId, int count) {
        return CompletableFuture.completedStage(hub.latest(channelId, count));
    }

    @Override
    public Uni<ChannelStats> stats(String channelId) {
        return Uni.createFrom().item(() -> hub.stats(channelId));
    }

    @Override
    public Uni<Void> subscribed(String channelId) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public void unsubscribed(String channelId, int remaining) {
    }

    @Override
    public CompletionStage<Void> disconnect(Disconnect request) {
        disconnects.disconnect(request);
        return CompletableFuture.completedStage(null);
    }

    @Override
    public Presence presence() {
        return presence;
    }

    /** One node: the triggers on it see every first and last subscriber, so each claim and release is news. */
    @Override
    public Occupancy occupancy() {
        return LOCAL_OCCUPANCY;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }
}
