package io.wsc.broker;

import java.util.concurrent.CompletionStage;

import io.smallrye.mutiny.Uni;
import io.wsc.channel.CatchUp;
import io.wsc.channel.ChannelStats;
import io.wsc.channel.Disconnect;
import io.wsc.channel.Message;
import io.wsc.channel.Published;
import io.wsc.presence.Presence;
import io.wsc.webhook.Occupancy;

/**
 * The one publish path. Every publish goes through a broker, which hands it to the hub of each node that has subscribers
 * of the channel (just this node for {@link LocalBroker}), so local fan-out is shared and nothing is delivered twice.
 */
public interface Broker {

    /**
     * Publishes and completes with the number of subscribers the message was sent to (and its id when history is on); fails with
     * {@link BrokerUnavailableException} when the message could not be handed on. A plain stage, not a {@code Uni}:
     * this is the hot path, and Mutiny's context propagation costs a few percent of a publish.
     */
    CompletionStage<Published> publish(Message message);

    /**
     * The channel's kept messages after {@code since}, for a subscriber that joined and resumes; without history, an
     * empty catch-up that reports a gap (see {@link CatchUp#historyOff}).
     */
    CompletionStage<CatchUp> catchUp(String channelId, long since);

    /**
     * The channel's newest {@code count} kept messages (fewer when fewer are kept or within a catch-up's byte budget),
     * for a subscriber that joined and rewinds ({@code ?rewind=}); never a gap: it asked for the newest.
     */
    CompletionStage<CatchUp> latest(String channelId, int count);

    /** The channel's numbers as this broker knows them (this node's for the in-memory broker, the cluster's for Redis). */
    Uni<ChannelStats> stats(String channelId);

    /**
     * This node now has local subscribers of the channel: completes once messages published from now on reach them.
     * Called before a subscriber's upgrade is answered.
     */
    Uni<Void> subscribed(String channelId);

    /** The local subscriber count of a channel changed; {@code remaining} 0 means this node no longer needs it. */
    void unsubscribed(String channelId, int remaining);

    /**
     * Closes, on every node, the connections the request names (see {@link io.wsc.channel.LocalDisconnects}); completes
     * once every node is told (each closes its own), or fails with {@link BrokerUnavailableException}.
     */
    CompletionStage<Void> disconnect(Disconnect request);

    /** Who is subscribed to channels, and their join and leave events, as this broker shares them. */
    Presence presence();

    /** What the webhook receiver was told is in channels, as this broker shares it. */
    Occupancy occupancy();

    /** True while the broker can deliver (readiness). */
    boolean isAvailable();
}
