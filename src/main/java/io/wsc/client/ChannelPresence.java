package io.wsc.client;

import java.util.List;
import java.util.Map;

/**
 * Who is subscribed to a channel ({@link WscClient#presence}): its clients by {@code sub}, and whether more are there
 * than the server lists ({@code wsc.presence.max}).
 */
public record ChannelPresence(String channel, List<Client> clients, boolean truncated) {

    /**
     * A client: the {@code sub} its tokens name, their {@code info} claim as read from JSON (empty when they have none)
     * and how many connections it has to the channel.
     */
    public record Client(String sub, Map<String, Object> info, int connections) {
    }
}
