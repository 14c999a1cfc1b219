package io.wsc.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.vertx.core.http.HttpServerRequest;
import io.wsc.channel.ChannelId;
import io.wsc.channel.InvalidChannelException;

/**
 * The channels of a publish to several: the path's, then each {@code channel} query parameter's (decoded as query
 * values are, normalised as paths are), each once, in that order; as subscribers name theirs. All are checked before
 * anything is published, so a refused request publishes nowhere.
 */
final class PublishChannels {

    /** The query parameter that adds a channel to a publish. */
    static final String PARAMETER = "channel";

    /** A name in an error answer is cut to this many characters: it is there to be recognised. */
    private static final int NAMED_CHARACTERS = 64;

    /** More distinct channels than {@code wsc.max-channels-per-publish}. */
    static final class TooMany extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooMany(int limit) {
            super("More channels than one publish may go to (wsc.max-channels-per-publish is " + limit + ")", null,
                    false, false);
        }
    }

    private PublishChannels() {
    }

    /**
     * The distinct channels, the path's first; null when the request has no {@code channel} parameter (a publish to
     * its path's channel alone, which reads no parameters when there is no query at all).
     *
     * @throws InvalidChannelException naming the first parameter that is no valid channel
     * @throws TooMany past {@code limit} distinct channels
     */
    static List<String> of(HttpServerRequest request, String pathChannel, int limit) {
        if (request.query() == null) {
            return null;
        }
        List<String> names = request.params().getAll(PARAMETER);
        if (names.isEmpty()) {
            return null;
        }
        Set<String> ids = new LinkedHashSet<>();
        ids.add(pathChannel);
        for (String name : names) {
            ids.add(normalised(name));
            if (ids.size() > limit) {
                throw new TooMany(limit);
            }
        }
        return List.copyOf(new ArrayList<>(ids));
    }

    private static String normalised(String name) {
        try {
            return ChannelId.normalise(name);
        } catch (InvalidChannelException e) {
            String shown = name.length() > NAMED_CHARACTERS ? name.substring(0, NAMED_CHARACTERS) + "..." : name;
            throw new InvalidChannelException("Invalid channel parameter \"" + shown + "\": " + e.getMessage());
        }
    }
}
