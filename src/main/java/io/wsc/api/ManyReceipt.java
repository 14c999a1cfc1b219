package io.wsc.api;

import java.util.List;

import jakarta.ws.rs.core.Response;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wsc.channel.Published;

/**
 * The answer to a publish to several channels: one entry per channel, in the request's order, with what a single
 * publish's receipt says of it (its recipients, and its {@code message_id} with history on). 201 when every channel
 * took the message; otherwise 503, and the channels that did not take it carry an {@code error} instead, so a
 * publisher can publish again to those alone.
 */
final class ManyReceipt {

    static final String SENT = "Message sent";

    /** What became of the message on one channel: published, or the sentence saying why not. */
    record Outcome(String channelId, Published published, String error) {

        static Outcome published(String channelId, Published published) {
            return new Outcome(channelId, published, null);
        }

        static Outcome failed(String channelId, String error) {
            return new Outcome(channelId, null, error);
        }
    }

    private ManyReceipt() {
    }

    static Response answer(int contentLength, List<Outcome> outcomes) {
        JsonArray channels = new JsonArray();
        int sent = 0;
        for (Outcome outcome : outcomes) {
            JsonObject entry = new JsonObject().put("channel_id", outcome.channelId());
            if (outcome.published() == null) {
                entry.put("error", outcome.error());
            } else {
                sent++;
                entry.put("recipients", outcome.published().recipients());
                if (outcome.published().messageId() > 0) {
                    entry.put("message_id", String.valueOf(outcome.published().messageId()));
                }
            }
            channels.add(entry);
        }
        boolean all = sent == outcomes.size();
        String status = all ? SENT : "Message sent to " + sent + " of " + outcomes.size()
                + " channels; publish again to those with an error";
        return JsonAnswer.json(all ? 201 : 503, new JsonObject().put("status", status)
                .put("content_length", contentLength).put("channels", channels).encode());
    }
}
