package io.wsc.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client written with a bare socket, for what a well-behaved client library will not do: send any path,
 * or complete the handshake and then never read.
 */
public final class RawWebSocket implements AutoCloseable {

    private final Socket socket;
    private final String statusLine;

    private RawWebSocket(Socket socket, String statusLine) {
        this.socket = socket;
        this.statusLine = statusLine;
    }

    /** Sends an upgrade request for {@code rawPath} and reads the response head. */
    public static RawWebSocket upgrade(URI base, String rawPath, int receiveBufferBytes) throws IOException {
        return upgrade(base, rawPath, receiveBufferBytes, "");
    }

    /** With extra header lines, each ending in CRLF (e.g. {@code "Sec-WebSocket-Protocol: wsc.v1.json\r\n"}). */
    public static RawWebSocket upgrade(URI base, String rawPath, int receiveBufferBytes, String extraHeaders)
            throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        socket.setSoTimeout(10_000);
        String request = "GET " + rawPath + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return new RawWebSocket(socket, readHead(socket.getInputStream()));
    }

    public int status() {
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** Writes raw bytes (frames, or anything else); false when the server has already closed the connection. */
    public boolean send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return true;
        } catch (IOException closedOrReset) {
            return false;
        }
    }

    /** Gives up reading after {@code millis} of silence (a {@link java.net.SocketTimeoutException}). */
    public void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** A frame from the server (never masked, RFC 6455 section 5.1). */
    public record Frame(boolean fin, int opcode, byte[] payload) {

        /** A close frame's status code, or 1005 when it carries none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    /** The next frame from the server, or null at end of stream (or when the connection was reset). */
    public Frame readFrame() throws IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
        try {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            int second = in.readUnsignedByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            return new Frame((first & 0x80) != 0, first & 0x0F, payload);
        } catch (java.io.EOFException | java.net.SocketException endOrReset) {
            return null;
        }
    }

    /** Reads until end of stream; true when the server closed the connection (nothing more than {@code limit}). */
    public boolean drainsToEndOfStream(long limit) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                total += n;
                if (total > limit) {
                    return false;
                }
            }
            return true;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString().split("\r\n", 2)[0];
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
