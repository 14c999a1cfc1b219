package io.wsc.ws;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.http.HttpServerRequest;
import io.wsc.channel.ChannelHub;
import io.wsc.config.WscConfig;
import io.wsc.presence.ClientIdentity;
import io.wsc.ws.SubscriberAdmission.Refusal;

/**
 * The rules a subscribe request (WebSocket upgrade or event stream) to a valid channel must pass besides its name:
 * allowed origin, subscriber token, and this node's limits. Each refusal carries its HTTP status and the reason it is
 * counted under.
 */
@ApplicationScoped
public class UpgradePolicy {

    private static final Refusal ORIGIN = new Refusal(403, "origin", "This origin may not subscribe");
    private static final Refusal TOKEN = new Refusal(401, "token", "A valid subscriber token (?token=) is required");
    private static final Refusal TOKEN_CHANNEL = new Refusal(403, "token_channel",
            "The subscriber token does not cover this channel (or one of the connection's channels)");
    private static final Refusal TOKEN_IDENTITY = new Refusal(400, "token_identity",
            "The subscriber token's sub (at most 256 characters, no control characters) or info (a JSON object of at"
                    + " most wsc.presence.max-info-bytes bytes) cannot be used");
    private static final Refusal MAX_CONNECTIONS = new Refusal(503, "max_connections",
            "Too many subscribers on this server");
    private static final Refusal MAX_CHANNELS = new Refusal(503, "max_channels", "Too many channels on this server");

    private final Optional<List<String>> allowedOrigins;
    private final SubscriberTokens tokens;
    private final ChannelHub hub;
    private final WscConfig config;

    UpgradePolicy(WscConfig config, SubscriberTokens tokens, ChannelHub hub) {
        this.allowedOrigins = config.allowedOrigins()
                .map(origins -> origins.stream().map(origin -> origin.trim().toLowerCase(Locale.ROOT)).toList());
        this.tokens = tokens;
        this.hub = hub;
        this.config = config;
    }

    /**
     * A request's outcome: its refusal, or (refusal null) who its token names, if anyone, and when its token expires
     * (see {@link SubscriberTokens.Checked#closesAtMillis}; 0 without a token).
     */
    record Outcome(Refusal refusal, ClientIdentity client, long tokenClosesAtMillis) {

        static Outcome refused(Refusal refusal) {
            return new Outcome(refusal, null, 0);
        }
    }

    /** True when subscribers need a token, and so may be identified (presence). */
    boolean identifiesClients() {
        return tokens.required();
    }

    /**
     * Why this request to subscribe to {@code channelIds} (one connection's) is refused, or who it is when it may
     * proceed: its token must cover each of them, and they must fit in this node's channel limit together.
     */
    Outcome check(HttpServerRequest request, List<String> channelIds) {
        if (!originAllowed(request.getHeader("Origin"), request.getHeader("Host"))) {
            return Outcome.refused(ORIGIN);
        }
        ClientIdentity client = null;
        long closesAt = 0;
        if (tokens.required()) {
            SubscriberTokens.Checked checked = tokens.check(request.getParam("token"), channelIds);
            switch (checked.verdict()) {
                case INVALID:
                    return Outcome.refused(TOKEN);
                case OTHER_CHANNEL:
                    return Outcome.refused(TOKEN_CHANNEL);
                case BAD_IDENTITY:
                    return Outcome.refused(TOKEN_IDENTITY);
                case ALLOWED:
                    client = checked.client();
                    closesAt = checked.closesAtMillis();
                    break;
            }
        }
        if (config.maxConnections().isPresent() && hub.connectionCount() >= config.maxConnections().getAsInt()) {
            return Outcome.refused(MAX_CONNECTIONS);
        }
        if (!hub.admits(channelIds, config.maxChannels())) {
            return Outcome.refused(MAX_CHANNELS);
        }
        return new Outcome(null, client, closesAt);
    }

    /**
     * Browsers always send Origin on a WebSocket upgrade; a client without one is not a browser page. A page from this
     * server itself (the live channel page) has the origin the request is addressed to, and is always allowed.
     */
    private boolean originAllowed(String origin, String host) {
        if (allowedOrigins.isEmpty() || origin == null) {
            return true;
        }
        String normalised = origin.trim().toLowerCase(Locale.ROOT);
        return allowedOrigins.get().contains(normalised)
                || host != null && normalised.replaceFirst("^https?://", "").equals(host.trim().toLowerCase(Locale.ROOT));
    }
}
