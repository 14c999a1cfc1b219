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
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferBytes);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        socket.setSoTimeout(10_000);
        String request = "GET " + rawPath + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return new RawWebSocket(socket, readHead(socket.getInputStream()));
    }

    public int status() {
        return Integer.parseInt(statusLine.split(" ")[1]);
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
