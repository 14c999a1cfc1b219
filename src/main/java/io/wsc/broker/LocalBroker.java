package io.wsc.broker;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.ChannelStats;
import io.wsc.channel.Message;

/** The default in-memory broker: one node, so a publish goes straight to the local hub. */
@ApplicationScoped
public class LocalBroker implements Broker {

    private final ChannelHub hub;

    LocalBroker(ChannelHub hub) {
        this.hub = hub;
    }

    @Override
    public Uni<Integer> publish(Message message) {
        return Uni.createFrom().item(() -> hub.deliver(message));
    }

    @Override
    public Uni<ChannelStats> stats(String channelId) {
        return Uni.createFrom().item(() -> hub.stats(channelId));
    }
}
