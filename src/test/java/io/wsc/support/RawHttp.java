package io.wsc.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange written byte for byte on a fresh socket, for requests no client library would send. Reads the
 * response head and, when it declares one, its body; never waits for more than {@code timeoutMillis} of silence.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** No answer: the server closed the connection without one. */
    public static final int CLOSED = -1;
    /** No answer: the server kept the connection open and said nothing until the timeout. */
    public static final int SILENT = -2;

    /** What came back: a status, or {@link #CLOSED} or {@link #SILENT}. */
    public record Response(int status, String head, String body) {

        public boolean answered() {
            return status > 0;
        }

        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return head.isEmpty() ? (status == SILENT ? "(silent)" : "(closed)") : head.split("\r\n", 2)[0] + (body.isEmpty() ? "" : " " + body);
        }
    }

    public static Response exchange(URI base, byte[] request, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (SocketException refusedMidway) {
                // the server may answer (431, 414, 413) and close before it has read everything we send
            }
            boolean bodiless = new String(request, 0, Math.min(5, request.length), StandardCharsets.ISO_8859_1)
                    .equals("HEAD ");
            return read(socket.getInputStream(), bodiless);
        }
    }

    private static Response read(InputStream in, boolean bodiless) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try {
            int headEnd = -1;
            while (headEnd < 0 && readSome(in, received)) {
                headEnd = received.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
            }
            if (headEnd < 0) {
                return new Response(CLOSED, "", "");
            }
            String text = received.toString(StandardCharsets.ISO_8859_1);
            String head = text.substring(0, headEnd);
            int length = bodiless ? 0 : contentLength(head);
            while (received.size() - headEnd - 4 < length && readSome(in, received)) {
                // keep reading the declared body
            }
            String all = received.toString(StandardCharsets.UTF_8);
            String body = all.substring(Math.min(all.length(), all.indexOf("\r\n\r\n") + 4));
            return new Response(status(head), head, body);
        } catch (SocketTimeoutException e) {
            return new Response(SILENT, received.toString(StandardCharsets.ISO_8859_1), "");
        } catch (SocketException reset) {
            return new Response(CLOSED, received.toString(StandardCharsets.ISO_8859_1), "");
        }
    }

    private static boolean readSome(InputStream in, ByteArrayOutputStream into) throws IOException {
        byte[] buffer = new byte[8192];
        int n = in.read(buffer);
        if (n < 0) {
            return false;
        }
        into.write(buffer, 0, n);
        return true;
    }

    private static int status(String head) {
        String[] parts = head.split(" ", 3);
        return parts.length > 1 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : -1;
    }

    /** The declared body length; 0 when none is declared (a 101 or an answer to HEAD has no body to wait for). */
    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return 0;
    }
}
