package io.wsc.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A raw HTTP connection that sends what it is told, when it is told, and reports how the server ended it. */
final class SlowClient implements AutoCloseable {

    /** How the connection ended: what the server sent, and after how long (from connecting). */
    record Ending(boolean closed, String received, long afterMillis) {

        boolean answered(int status) {
            return received.startsWith("HTTP/1.1 " + status + " ");
        }
    }

    private final Socket socket = new Socket();
    private final long openedNanos;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    private SlowClient(URI base, String fromAddress) throws IOException {
        if (fromAddress != null) {
            socket.bind(new InetSocketAddress(fromAddress, 0));
        }
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
        openedNanos = System.nanoTime();
    }

    static SlowClient connect(URI base) throws IOException {
        return new SlowClient(base, null);
    }

    /** From another loopback address (127.0.0.2, ...), so other tests' connections do not count with these. */
    static SlowClient connectFrom(URI base, String fromAddress) throws IOException {
        return new SlowClient(base, fromAddress);
    }

    /** False when the server has already closed the connection. */
    boolean send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads until the server closes the connection or {@code millis} pass; a reset counts as closed. */
    Ending awaitEnd(long millis) throws IOException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return ending(false);
            }
            socket.setSoTimeout((int) left);
            try {
                int n = in.read(buffer);
                if (n < 0) {
                    return ending(true);
                }
                received.write(buffer, 0, n);
            } catch (SocketTimeoutException e) {
                return ending(false);
            } catch (SocketException e) {
                return ending(true);
            }
        }
    }

    /** Reads one whole response with a {@code content-length}, leaving the connection open. */
    String readResponse(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        int headEnd = -1;
        while (headEnd < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + response);
            }
            response.write(b);
            headEnd = response.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
        }
        String head = response.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        response.write(in.readNBytes(length));
        return response.toString(StandardCharsets.UTF_8);
    }

    private Ending ending(boolean closed) {
        return new Ending(closed, received.toString(StandardCharsets.UTF_8), (System.nanoTime() - openedNanos) / 1_000_000);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
