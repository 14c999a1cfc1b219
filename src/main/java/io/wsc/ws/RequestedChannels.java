package io.wsc.ws;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.vertx.core.http.HttpServerRequest;
import io.wsc.channel.ChannelId;
import io.wsc.channel.InvalidChannelException;

/**
 * The channels a subscribe request asks for: its path's, then each {@code channel} query parameter's (decoded as query
 * values are, then normalised as paths are), each once, in that order. Any {@code channel} parameter makes the
 * connection multiplexed: its frames name their channel, even when the parameters only repeat the path's.
 *
 * @param ids the distinct channels, the path's first
 * @param multiplexed true when the request gave {@code channel} parameters
 */
public record RequestedChannels(List<String> ids, boolean multiplexed) {

    /** The query parameter that adds a channel to a connection. */
    public static final String PARAMETER = "channel";

    /** The path's channel. */
    public String first() {
        return ids.get(0);
    }

    /**
     * The channels of {@code request}; its path must not be reserved (checked before).
     *
     * @throws InvalidChannelException when the path or a parameter names no valid channel
     */
    static RequestedChannels of(HttpServerRequest request) {
        String pathChannel = ChannelId.fromRawPath(request.path());
        List<String> extra = request.params().getAll(PARAMETER);
        if (extra.isEmpty()) {
            return new RequestedChannels(List.of(pathChannel), false);
        }
        Set<String> ids = new LinkedHashSet<>();
        ids.add(pathChannel);
        for (String name : extra) {
            ids.add(ChannelId.normalise(name));
        }
        return new RequestedChannels(List.copyOf(new ArrayList<>(ids)), true);
    }
}
