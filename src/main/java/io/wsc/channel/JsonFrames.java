package io.wsc.channel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * The payloads of the {@code wsc.v1.json} subprotocol: a message as {@code {"id":"7","data":"..."}} (binary data in
 * base64, with {@code "binary":true}; no id when history is off), and the two signals a resuming subscriber gets, told
 * apart by their {@code type}: {@code gap} when some of what it missed is no longer kept, and {@code caught_up} at the
 * end of its catch-up.
 */
public final class JsonFrames {

    /** The subprotocol a subscriber asks for to get JSON frames (and to resume). */
    public static final String SUBPROTOCOL = "wsc.v1.json";

    private JsonFrames() {
    }

    static byte[] message(long id, byte[] body, boolean binary) {
        StringBuilder json = new StringBuilder(body.length + 32).append('{');
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
    static byte[] gap(long since, long next) {
        return ("{\"type\":\"gap\"," + gapFields(since, next) + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** The gap signal's fields, shared with its event-stream form. */
    static String gapFields(long since, long next) {
        return "\"since\":\"" + since + "\"" + (next > 0 ? ",\"next\":\"" + next + "\"" : "");
    }

    /** Ends a resume's catch-up: the {@code count} messages before it came from history; what follows is live. */
    static byte[] caughtUp(int count) {
        return ("{\"type\":\"caught_up\",\"count\":" + count + "}").getBytes(StandardCharsets.UTF_8);
    }
}
