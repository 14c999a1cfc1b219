package io.wsc.channel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Server-Sent Events as wsc sends them: a text message as {@code id:} and one {@code data:} line per line of the body
 * (so a browser's {@code EventSource} rebuilds it with its line breaks), a binary one in base64 as event
 * {@code binary}, the events a resuming subscriber gets: {@code gap} when some of what it missed is no longer kept,
 * and {@code caught_up} at the end of its catch-up, and {@code disconnected} when the server ends the stream for a
 * reason that a plain reconnect would not cure.
 */
public final class SseEvents {

    /** The media type of a stream of events. */
    public static final String MEDIA_TYPE = "text/event-stream";
    /** A comment line: keeps proxies from closing a quiet stream, and browsers ignore it. */
    public static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

    private SseEvents() {
    }

    static ByteBuf message(long id, byte[] body, boolean binary) {
        StringBuilder event = new StringBuilder(body.length + 32);
        if (binary) {
            event.append("event: binary\n");
        }
        if (id > 0) {
            event.append("id: ").append(id).append('\n');
        }
        if (binary) {
            data(event, Base64.getEncoder().encodeToString(body));
        } else {
            data(event, new String(body, StandardCharsets.UTF_8));
        }
        return direct(event.append('\n').toString());
    }

    /**
     * An event with one {@code data:} line and no type: a multiplexed stream's JSON (which escapes line breaks), so
     * {@code EventSource.onmessage} gets every frame. Shared by the stream's subscribers: the id of a message, which is
     * the stream's own place in all its channels, goes in front of it ({@link StreamPositions}).
     */
    static ByteBuf data(byte[] json) {
        ByteBuf event = ByteBufAllocator.DEFAULT.directBuffer(json.length + 8);
        return event.writeBytes(DATA).writeBytes(json).writeByte('\n').writeByte('\n');
    }

    /** An event of the given type whose one {@code data:} line is {@code json}. */
    static ByteBuf event(String type, byte[] json) {
        byte[] head = ("event: " + type + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuf event = ByteBufAllocator.DEFAULT.directBuffer(head.length + json.length + 8);
        return event.writeBytes(head).writeBytes(DATA).writeBytes(json).writeByte('\n').writeByte('\n');
    }

    static ByteBuf gap(long since, long next) {
        return direct("event: gap\ndata: {" + JsonFrames.gapFields(since, next) + "}\n\n");
    }

    /**
     * The last event of a stream the server ends for a reason the page must act on ({@link Farewell#tellsStreams}):
     * {@code event: disconnected} with the WebSocket close code and reason, e.g. {@code {"code":4401,...}}.
     */
    public static ByteBuf farewell(Farewell farewell) {
        return direct("event: disconnected\ndata: {\"code\":" + farewell.code() + ",\"reason\":\"" + farewell.reason()
                + "\"}\n\n");
    }

    static ByteBuf caughtUp(int count) {
        return direct("event: caught_up\ndata: {\"count\":" + count + "}\n\n");
    }

    /**
     * A direct buffer, as WebSocket frames are: the epoll transport writes only direct memory, and would copy a heap
     * buffer into a new direct one for every subscriber it is written to.
     */
    private static ByteBuf direct(String event) {
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        return ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }

    /**
     * One {@code data:} line per line of {@code text}. CRLF, CR and LF all end a line in the event stream format, so
     * each is a line break here too; the browser joins the lines with LF.
     */
    private static void data(StringBuilder event, String text) {
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                event.append("data: ").append(text, start, i).append('\n');
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        event.append("data: ").append(text, start, text.length()).append('\n');
    }
}
