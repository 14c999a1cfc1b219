package io.wsc.presence;

import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The clients of a channel, ordered by {@code sub}; {@code truncated} when more are there than were asked for. */
public record PresenceList(List<PresentClient> clients, boolean truncated) {

    public static final PresenceList EMPTY = new PresenceList(List.of(), false);

    /**
     * {@code "channel":"chat/room/1","clients":[{"sub":"alice","info":{...},"connections":2}],"truncated":false} into
     * {@code json}: a {@code GET ?presence} answer, and a watcher's snapshot.
     */
    public JsonObject into(JsonObject json, String channelId) {
        JsonArray listed = new JsonArray();
        for (PresentClient client : clients) {
            JsonObject entry = new JsonObject().put("sub", client.sub());
            if (client.info() != null) {
                entry.put("info", new JsonObject(client.info()));
            }
            listed.add(entry.put("connections", client.connections()));
        }
        return json.put("channel", channelId).put("clients", listed).put("truncated", truncated);
    }
}
