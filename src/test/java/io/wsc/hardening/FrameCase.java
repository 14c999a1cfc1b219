package io.wsc.hardening;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.wsc.support.RawWebSocket;
import io.wsc.support.RawWebSocket.Frame;

/**
 * Client frames written on a fresh subscriber connection, and what the server must do about them: either close with
 * {@code closeCode} (after answering the pings it got before, if any) and then end the connection, or keep the
 * connection open, answering each ping with a pong carrying the same payload.
 *
 * @param writes the bytes written, one write each
 * @param pongs the payloads of the pongs expected, in order (before the close, when one is expected)
 * @param closeCode the close code expected; {@link #STAYS_OPEN} when the connection must stay open
 */
record FrameCase(String name, List<byte[]> writes, List<byte[]> pongs, int closeCode) {

    static final int STAYS_OPEN = 0;
    private static final byte[] PROBE = "still open?".getBytes(StandardCharsets.UTF_8);

    static FrameCase closes(String name, int closeCode, byte[]... writes) {
        return new FrameCase(name, List.of(writes), List.of(), closeCode);
    }

    static FrameCase staysOpen(String name, List<byte[]> pongs, byte[]... writes) {
        return new FrameCase(name, List.of(writes), pongs, STAYS_OPEN);
    }

    /** Runs the case; null when the server did what was expected, else what it did instead. */
    String check(URI base, int timeoutMillis) throws IOException {
        try (RawWebSocket socket = RawWebSocket.upgrade(base, "/hardening/frames", 65536)) {
            if (socket.status() != 101) {
                return "upgrade answered " + socket.status();
            }
            socket.readTimeout(timeoutMillis);
            for (byte[] write : writes) {
                if (!socket.send(write)) {
                    break; // the server closed while we wrote (e.g. after a frame header it refused)
                }
            }
            List<byte[]> expectedPongs = new ArrayList<>(pongs);
            if (closeCode == STAYS_OPEN) {
                socket.send(ClientFrames.frame(ClientFrames.PING, PROBE));
                expectedPongs.add(PROBE);
            }
            try {
                return expect(socket, expectedPongs);
            } catch (SocketTimeoutException e) {
                return "silent for " + timeoutMillis + " ms (a hang)";
            }
        }
    }

    private String expect(RawWebSocket socket, List<byte[]> expectedPongs) throws IOException {
        for (byte[] pong : expectedPongs) {
            Frame frame = socket.readFrame();
            if (frame == null || frame.opcode() != ClientFrames.PONG || !Arrays.equals(pong, frame.payload())) {
                return "expected a pong of " + pong.length + " bytes, got " + describe(frame);
            }
        }
        if (closeCode == STAYS_OPEN) {
            return null;
        }
        Frame close = socket.readFrame();
        if (close == null || close.opcode() != ClientFrames.CLOSE || close.closeCode() != closeCode) {
            return "expected close " + closeCode + ", got " + describe(close);
        }
        // Answer as a client does; then the server must end the connection and send nothing more.
        socket.send(ClientFrames.frame(ClientFrames.CLOSE, ClientFrames.closePayload(close.closeCode(), new byte[0])));
        Frame after = socket.readFrame();
        return after == null ? null : "after close " + closeCode + " the server sent " + describe(after);
    }

    private static String describe(Frame frame) {
        if (frame == null) {
            return "end of stream";
        }
        return switch (frame.opcode()) {
            case ClientFrames.CLOSE -> "close " + frame.closeCode();
            case ClientFrames.PONG -> "pong of " + frame.payload().length + " bytes";
            default -> "opcode " + frame.opcode() + " of " + frame.payload().length + " bytes";
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
