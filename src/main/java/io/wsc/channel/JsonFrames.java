package io.wsc.channel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.vertx.core.json.JsonObject;
import io.wsc.presence.ClientIdentity;
import io.wsc.presence.PresenceList;

/**
 * The payloads of the {@code wsc.v1.json} subprotocol: a message as {@code {"id":"7","data":"..."}} (binary data in
 * base64, with {@code "binary":true}; no id when history is off), and the two signals a resuming subscriber gets, told
 * apart by their {@code type}: {@code gap} when some of what it missed is no longer kept, and {@code caught_up} at the
 * end of its catch-up. On a connection with several channels each of them names its channel first
 * ({@code {"channel":"chat/room/1",...}}); a null channel leaves the field out.
 */
public final class JsonFrames {

    /** The subprotocol a subscriber asks for to get JSON frames (and to resume). */
    public static final String SUBPROTOCOL = "wsc.v1.json";

    private JsonFrames() {
    }

    static byte[] message(String channelId, long id, byte[] body, boolean binary) {
        StringBuilder json = new StringBuilder(body.length + 32).append('{');
        channel(json, channelId);
        if (id > 0) {
            json.append("\"id\":\"").append(id).append("\",");
        }
        json.append("\"data\":\"");
        if (binary) {
            json.append(Base64.getEncoder().encodeToString(body)).append("\",\"binary\":true}");
        } else {
            JsonStringEncoder.getInstance().quoteAsString(new String(body, StandardCharsets.UTF_8), json);
            json.append("\"}");
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Messages after {@code since} were lost; the next one the subscriber gets has id {@code next} or later ({@code next}
     * is left out when unknown, 0: nothing of the channel is kept).
     */
    static byte[] gap(String channelId, long since, long next) {
        StringBuilder json = new StringBuilder("{\"type\":\"gap\",");
        channel(json, channelId);
        return json.append(gapFields(since, next)).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The gap signal's fields, shared with its event-stream form. */
    static String gapFields(long since, long next) {
        return "\"since\":\"" + since + "\"" + (next > 0 ? ",\"next\":\"" + next + "\"" : "");
    }

    /** Ends a resume's catch-up: the {@code count} messages before it came from history; what follows is live. */
    static byte[] caughtUp(String channelId, int count) {
        StringBuilder json = new StringBuilder("{\"type\":\"caught_up\",");
        channel(json, channelId);
        return json.append("\"count\":").append(count).append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A presence event: {@code {"type":"join","channel":"chat/room/1","client":{"sub":"alice","info":{...}}}} (or
     * {@code "leave"}); the channel is always there, and {@code info} (already JSON) only when the token had one.
     */
    static byte[] presence(String channelId, boolean joined, ClientIdentity client) {
        StringBuilder json = new StringBuilder(64).append("{\"type\":\"").append(joined ? "join" : "leave")
                .append("\",");
        channel(json, channelId);
        json.append("\"client\":{\"sub\":\"");
        JsonStringEncoder.getInstance().quoteAsString(client.sub(), json);
        json.append('"');
        if (client.info() != null) {
            json.append(",\"info\":").append(client.info());
        }
        return json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Who is there as a watcher starts: {@code {"type":"presence","channel":..,"clients":[..],"truncated":..}}, the
     * {@code GET ?presence} answer with a type.
     */
    static byte[] presenceSnapshot(String channelId, PresenceList list) {
        return list.into(new JsonObject().put("type", "presence"), channelId).encode().getBytes(StandardCharsets.UTF_8);
    }

    /** Some presence events of the channel were dropped (a burst, or a lost link): read {@code ?presence} again. */
    static byte[] presenceGap(String channelId) {
        StringBuilder json = new StringBuilder("{\"type\":\"presence_gap\",");
        channel(json, channelId);
        json.setLength(json.length() - 1); // the channel's trailing comma
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code "channel":"<id>",} (JSON-escaped: a name may hold quotes), or nothing for a null id. */
    private static void channel(StringBuilder json, String channelId) {
        if (channelId != null) {
            json.append("\"channel\":\"");
            JsonStringEncoder.getInstance().quoteAsString(channelId, json);
            json.append("\",");
        }
    }
}
