package io.wsc.webhook;

import java.util.function.Consumer;

import io.smallrye.mutiny.Uni;

/**
 * Which channels, and which presence members of them, the backend has been told are there, as the broker shares it
 * (this node with the memory broker, the cluster with Redis): so each {@code channel_occupied} is followed by one
 * {@code channel_vacated}, whichever node sees what. {@code sub} null stands for the channel itself. Each answer is
 * the time of the event to send (ms), or 0 when another node sent it or nothing is to be sent.
 */
public interface Occupancy {

    /** This node has a first subscriber of the channel (or connection of the member): is that news to the cluster? */
    Uni<Long> claim(String channelId, String sub);

    /** This node's last one left a while ago and none came back: is the cluster now without any, as news? */
    Uni<Long> release(String channelId, String sub);

    /**
     * Where channels and members found empty without a node's release go (their node died), for the broker to report
     * them at any time; the memory broker has none.
     */
    default void reportOrphans(Consumer<WebhookEvent> vacated) {
    }
}
