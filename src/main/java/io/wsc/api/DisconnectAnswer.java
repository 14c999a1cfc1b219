package io.wsc.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.wsc.broker.Broker;
import io.wsc.channel.ChannelId;
import io.wsc.channel.Disconnect;
import io.wsc.ws.SubscriberTokens;

/**
 * {@code DELETE /<channel>} with the key closes the channel's subscribers on every node; {@code DELETE /?sub=alice}
 * closes every connection whose subscriber token names {@code alice}, whatever its channels. The channel's answer counts
 * its subscribers as its stats do just before (cluster-wide with Redis); a client's connections are counted nowhere, so
 * its answer has no count.
 */
@Singleton
class DisconnectAnswer {

    /** The query parameter that names a client instead of a channel. */
    static final String SUB = "sub";

    static final String NO_TOKENS = "?sub= needs subscriber tokens (wsc.subscribe.jwt-secret or"
            + " wsc.subscribe.jwt-public-key-location): their sub claim names the clients";
    static final String SUB_ON_ROOT = "?sub= closes the client's connections on every channel: send it to the root"
            + " path, DELETE /?sub=<sub>";
    static final String ONE_SUB = "?sub= takes one non-empty sub";

    private final Broker broker;
    private final SubscriberTokens tokens;

    DisconnectAnswer(Broker broker, SubscriberTokens tokens) {
        this.broker = broker;
        this.tokens = tokens;
    }

    CompletionStage<Response> answer(String channelId, HttpServerRequest request) {
        List<String> subs = request.params().getAll(SUB);
        if (subs.isEmpty()) {
            return broker.stats(channelId).subscribeAsCompletionStage()
                    .thenCompose(stats -> broker.disconnect(Disconnect.channel(channelId))
                            .thenApply(sent -> disconnected("channel", channelId).put("subscribers", stats.peers())))
                    .thenApply(DisconnectAnswer::ok);
        }
        String refusal = subRefusal(channelId, subs);
        if (refusal != null) {
            return ChannelResource.answer(JsonAnswer.error(400, refusal));
        }
        String sub = subs.get(0);
        return broker.disconnect(Disconnect.client(sub)).thenApply(sent -> ok(disconnected(SUB, sub)));
    }

    private String subRefusal(String channelId, List<String> subs) {
        if (!tokens.required()) {
            return NO_TOKENS;
        }
        if (!channelId.equals(ChannelId.ROOT)) {
            return SUB_ON_ROOT;
        }
        return subs.size() != 1 || subs.get(0).isEmpty() ? ONE_SUB : null;
    }

    /** {@code {"status":"disconnected","channel":"chat/room/1",...}}, or with {@code sub}. */
    private static JsonObject disconnected(String field, String value) {
        return new JsonObject().put("status", "disconnected").put(field, value);
    }

    private static Response ok(JsonObject body) {
        return JsonAnswer.json(200, body.encode());
    }
}
