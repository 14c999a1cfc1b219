package io.wsc.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;

import io.wsc.support.EventStreamClient.Event;

/** The event stream format's parser: lines end with LF, CR or CRLF; a blank line dispatches the event. */
public final class EventStreamParser {

    private final BlockingQueue<Event> out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean afterCr;
    private String id;
    private String type;
    private String retry;
    private List<String> data = new ArrayList<>();

    public EventStreamParser(BlockingQueue<Event> out) {
        this.out = out;
    }

    public void feed(byte[] bytes) {
        for (byte b : bytes) {
            if (afterCr && b == '\n') {
                afterCr = false;
                continue;
            }
            afterCr = b == '\r';
            if (b == '\r' || b == '\n') {
                line(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }

    private void line(String text) {
        if (text.isEmpty()) {
            if (id != null || type != null || retry != null || !data.isEmpty()) {
                out.add(new Event(id, type, data.isEmpty() ? null : String.join("\n", data), null, retry));
            }
            id = null;
            type = null;
            retry = null;
            data = new ArrayList<>();
            return;
        }
        if (text.startsWith(":")) {
            out.add(new Event(null, null, null, text.substring(1), null));
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) { // field names are case-sensitive
            case "id" -> id = value;
            case "event" -> type = value;
            case "data" -> data.add(value);
            case "retry" -> retry = value;
            default -> {
            }
        }
    }
}
