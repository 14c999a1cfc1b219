package io.wsc.broker;

import io.smallrye.mutiny.Uni;
import io.wsc.channel.ChannelStats;
import io.wsc.channel.Message;

/**
 * The one publish path. Every publish goes through a broker, which hands it to the hub of each node that has subscribers
 * of the channel (just this node for {@link LocalBroker}), so local fan-out is shared and nothing is delivered twice.
 */
public interface Broker {

    /** Publishes and completes with the number of subscribers the message was sent to. */
    Uni<Integer> publish(Message message);

    /** The channel's numbers as this broker knows them (this node's for the in-memory broker). */
    Uni<ChannelStats> stats(String channelId);
}
