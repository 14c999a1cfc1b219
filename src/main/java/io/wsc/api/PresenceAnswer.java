package io.wsc.api;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.wsc.broker.Broker;
import io.wsc.config.WscConfig;
import io.wsc.presence.PresenceList;

/**
 * {@code GET /<channel>?presence} with the key: the channel's identified clients (cluster-wide with Redis), at most
 * {@code wsc.presence.max} of them by {@code sub}. Without subscriber tokens no client can be identified: the request
 * is refused (400) rather than answered with a list that would always be empty.
 */
@Singleton
class PresenceAnswer {

    /** The query parameter that turns a stats request into a presence request. */
    static final String PARAMETER = "presence";

    static final String NO_TOKENS = "Presence needs subscriber tokens (wsc.subscribe.jwt-secret or"
            + " wsc.subscribe.jwt-public-key-location): their sub claim names the clients";

    private final Broker broker;
    private final boolean tokens;
    private final int max;

    PresenceAnswer(Broker broker, WscConfig config) {
        this.broker = broker;
        this.tokens = config.subscribe().jwtSecret().isPresent()
                || config.subscribe().jwtPublicKeyLocation().isPresent();
        this.max = config.presence().max();
    }

    Uni<Response> answer(String channelId) {
        if (!tokens) {
            return Uni.createFrom().item(JsonAnswer.error(400, NO_TOKENS));
        }
        return broker.presence().list(channelId, max).map(list -> JsonAnswer.json(200, body(channelId, list)));
    }

    /** {@code {"channel":"chat/room/1","clients":[{"sub":"alice","info":{...},"connections":2}],"truncated":false}}. */
    static String body(String channelId, PresenceList list) {
        return list.into(new JsonObject(), channelId).encode();
    }
}
