package io.wsc.channel;

/**
 * What the backend asked to close (DELETE): every subscriber of a channel, or every connection of one client (a
 * subscriber token's {@code sub}); exactly one of the two is set. Carried to every node by the broker.
 */
public record Disconnect(String channelId, String sub) {

    public static Disconnect channel(String channelId) {
        return new Disconnect(channelId, null);
    }

    public static Disconnect client(String sub) {
        return new Disconnect(null, sub);
    }
}
