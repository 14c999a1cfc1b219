package io.wsc.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events subscriber on a plain socket: writes the GET byte for byte, checks the chunked framing of the
 * answer strictly (so a stream that only a lenient client could read fails here), and parses events as the
 * specification says ({@code id:}, {@code event:}, {@code data:} lines, comments, a blank line ends an event).
 */
public final class EventStreamClient implements AutoCloseable {

    /** One event, or a comment line ({@code comment} set, the rest null). */
    public record Event(String id, String type, String data, String comment, String retry) {

        public boolean isComment() {
            return comment != null;
        }
    }

    /** The end of the response (its last chunk, or the connection closing), as an item of the queue. */
    private static final Event END = new Event(null, null, null, null, null);

    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final String head;
    private final String body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private volatile boolean lastChunkSeen;

    private EventStreamClient(Socket socket, InputStream in, int status, String head, String body) {
        this.socket = socket;
        this.in = in;
        this.status = status;
        this.head = head;
        this.body = body;
    }

    public static EventStreamClient connect(URI base, String path) throws IOException {
        return connect(base, path, Map.of());
    }

    /** Sends {@code GET path} with {@code Accept: text/event-stream} and {@code headers}, and reads the head. */
    public static EventStreamClient connect(URI base, String path, Map<String, String> headers) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(10_000);
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":"
                + base.getPort() + "\r\n");
        if (!headers.containsKey("Accept")) {
            request.append("Accept: text/event-stream\r\n");
        }
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        InputStream in = socket.getInputStream();
        String head = readHead(in);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        String body = "";
        String length = headerOf(head, "Content-Length");
        if (length != null) {
            body = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        }
        EventStreamClient client = new EventStreamClient(socket, in, status, head, body);
        if (status == 200 && "chunked".equalsIgnoreCase(headerOf(head, "Transfer-Encoding"))) {
            Thread reader = new Thread(client::readChunks, "sse-client");
            reader.setDaemon(true);
            reader.start();
        }
        return client;
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headerOf(head, name);
    }

    /** The body of a non-streaming answer (an error). */
    public String body() {
        return body;
    }

    /** The next event, skipping comments; fails after 10 s or when the stream ends. */
    public Event next() throws InterruptedException {
        while (true) {
            Event event = nextIncludingComments();
            if (!event.isComment() && (event.data() != null || event.type() != null)) {
                return event;
            }
        }
    }

    /** The next event or comment (a block with only {@code retry:} counts as an event without data). */
    public Event nextIncludingComments() throws InterruptedException {
        Event event = events.poll(10, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("No event within 10 s");
        }
        if (event == END) {
            events.add(END);
            throw new AssertionError("The stream ended");
        }
        return event;
    }

    /** The next event (comments skipped), or null when none arrives within {@code wait} or the stream ended. */
    public Event poll(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == END) {
                events.add(END);
                return null;
            }
            if (event == null || !event.isComment() && (event.data() != null || event.type() != null)) {
                return event;
            }
        }
    }

    /** True when no event (comments aside) arrives for {@code quiet}. */
    public boolean staysSilent(Duration quiet) throws InterruptedException {
        long deadline = System.nanoTime() + quiet.toNanos();
        while (true) {
            Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                return true;
            }
            if (event == END) {
                events.add(END);
                return true;
            }
            if (!event.isComment() && event.data() != null) {
                return false;
            }
        }
    }

    /** Waits until the stream ends; true when it ended with the terminating chunk (not a cut connection). */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == END) {
                return lastChunkSeen;
            }
        }
        throw new AssertionError("The stream did not end");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void readChunks() {
        EventStreamParser parser = new EventStreamParser(events);
        try {
            socket.setSoTimeout(0);
            while (true) {
                String size = readLine(in);
                int length = Integer.parseInt(size, 16); // a size that is not hex fails the stream
                if (length == 0) {
                    if (!readLine(in).isEmpty()) {
                        throw new IOException("Trailers after the last chunk");
                    }
                    lastChunkSeen = true;
                    break;
                }
                byte[] chunk = in.readNBytes(length);
                if (chunk.length < length || !readLine(in).isEmpty()) {
                    throw new IOException("Chunk not framed as declared");
                }
                parser.feed(chunk);
            }
        } catch (IOException | RuntimeException e) {
            // connection closed or a framing error: the stream is over either way
        } finally {
            events.add(END);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            head.append(line).append("\r\n");
        }
        return head.toString();
    }

    /** A CRLF-terminated line (without it). */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException();
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            previous = b;
        }
    }

    private static String headerOf(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
