package io.wsc.hardening;

import static io.wsc.hardening.ClientFrames.BINARY;
import static io.wsc.hardening.ClientFrames.CLOSE;
import static io.wsc.hardening.ClientFrames.CONTINUATION;
import static io.wsc.hardening.ClientFrames.PING;
import static io.wsc.hardening.ClientFrames.PONG;
import static io.wsc.hardening.ClientFrames.TEXT;
import static io.wsc.hardening.ClientFrames.closePayload;
import static io.wsc.hardening.ClientFrames.frame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Generated client frames: every opcode x RSV bits x FIN x mask, declared lengths around the limits, pings with
 * payloads, fragmentation (with control frames between fragments, and broken), close codes, frames after a close,
 * and text that is not UTF-8. The expectation follows RFC 6455 as Netty's decoder enforces it: a protocol error
 * closes with 1002, a frame over 64 KiB with 1009; whatever is valid is ignored and pings are answered.
 */
final class FrameCases {

    static final int PROTOCOL_ERROR = 1002;
    static final int TOO_BIG = 1009;
    static final int MAX_FRAME = 65536;

    /** RFC 6455: text that is not UTF-8 fails the connection (1007); Netty's validator checks it before Vert.x. */
    static final boolean TEXT_UTF8_CHECKED = true;
    /** A message too big to process is closed with 1009, also when it is fragmented (FragmentedMessageLimit). */
    static final int FRAGMENTED_OVERSIZE_CLOSE = 1009;

    private static final byte[] X = { 'x' };

    private FrameCases() {
    }

    static List<FrameCase> all() {
        List<FrameCase> cases = new ArrayList<>();
        cases.addAll(everyHeaderBitCombination());
        cases.addAll(lengths());
        cases.addAll(pingsWithPayloads());
        cases.addAll(fragmentation());
        cases.addAll(closeCodes());
        cases.addAll(framesAfterClose());
        cases.addAll(textThatIsNotUtf8());
        return cases;
    }

    /** 16 opcodes x 8 RSV combinations x FIN x mask, each with a one-byte payload (a close carries code 1000). */
    private static List<FrameCase> everyHeaderBitCombination() {
        List<FrameCase> cases = new ArrayList<>();
        for (int opcode = 0; opcode < 16; opcode++) {
            for (int rsv = 0; rsv < 8; rsv++) {
                for (boolean fin : new boolean[] { true, false }) {
                    for (boolean masked : new boolean[] { true, false }) {
                        byte[] payload = opcode == CLOSE ? closePayload(1000, new byte[0]) : X;
                        String name = String.format("opcode %X rsv %d fin %b masked %b", opcode, rsv, fin, masked);
                        cases.add(expect(name, opcode, payload, fin, rsv, masked));
                    }
                }
            }
        }
        return cases;
    }

    /** Payload lengths at the edges of the 7-bit, 16-bit and 64-bit encodings and of the limits. */
    private static List<FrameCase> lengths() {
        List<FrameCase> cases = new ArrayList<>();
        for (int opcode : new int[] { TEXT, BINARY }) {
            for (int length : new int[] { 0, 125, 126, 65535, MAX_FRAME, MAX_FRAME + 1, 1 << 20 }) {
                cases.add(expect("data of " + length, opcode, filled(length), true, 0, true));
            }
        }
        for (int opcode : new int[] { PING, PONG, CLOSE }) {
            for (int length : new int[] { 0, 2, 125, 126, 1000 }) {
                byte[] payload = opcode == CLOSE && length >= 2 ? closePayload(1000, filled(length - 2)) : filled(length);
                cases.add(expect("control of " + length, opcode, payload, true, 0, true));
            }
        }
        cases.add(FrameCase.closes("close with a 1-byte payload", PROTOCOL_ERROR, frame(CLOSE, new byte[] { 3 })));
        // A length not in its shortest form, and a 64-bit length with its most significant bit set, are malformed.
        cases.add(FrameCase.closes("non-minimal 16-bit length", PROTOCOL_ERROR,
                ClientFrames.header(0x81, 0x80 | 126, new byte[] { 0, 5 })));
        cases.add(FrameCase.closes("64-bit length with MSB set", PROTOCOL_ERROR,
                ClientFrames.header(0x81, 0x80 | 127, new byte[] { (byte) 0x80, 0, 0, 0, 0, 0, 0, 1 })));
        cases.add(FrameCase.closes("64-bit length of 2^63-1", TOO_BIG, ClientFrames.header(0x81, 0x80 | 127,
                new byte[] { 0x7F, -1, -1, -1, -1, -1, -1, -1 })));
        return cases;
    }

    private static List<FrameCase> pingsWithPayloads() {
        Random random = new Random(7);
        List<FrameCase> cases = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            byte[] payload = new byte[random.nextInt(126)];
            random.nextBytes(payload);
            cases.add(FrameCase.staysOpen("ping of " + payload.length + " random bytes", List.of(payload),
                    frame(PING, payload)));
        }
        byte[][] pings = { "one".getBytes(StandardCharsets.UTF_8), "two".getBytes(StandardCharsets.UTF_8) };
        cases.add(FrameCase.staysOpen("two pings in one write", List.of(pings), concat(frame(PING, pings[0]),
                frame(PING, pings[1]))));
        return cases;
    }

    /** Fragmented messages with 0-3 control frames between fragments; starts without an end; a message too big. */
    private static List<FrameCase> fragmentation() {
        List<FrameCase> cases = new ArrayList<>();
        for (int opcode : new int[] { TEXT, BINARY }) {
            for (int fragments = 2; fragments <= 4; fragments++) {
                for (int pingsBetween = 0; pingsBetween <= 3; pingsBetween++) {
                    List<byte[]> writes = new ArrayList<>();
                    List<byte[]> pongs = new ArrayList<>();
                    for (int f = 0; f < fragments; f++) {
                        writes.add(frame(f == 0 ? opcode : CONTINUATION, X, f == fragments - 1, 0, true));
                        for (int p = 0; f < fragments - 1 && p < pingsBetween; p++) {
                            byte[] payload = ("p" + f + "." + p).getBytes(StandardCharsets.UTF_8);
                            writes.add(frame(p % 2 == 0 ? PING : PONG, payload));
                            if (p % 2 == 0) {
                                pongs.add(payload);
                            }
                        }
                    }
                    String name = "opcode " + opcode + " in " + fragments + " fragments, " + pingsBetween
                            + " control frames between";
                    cases.add(new FrameCase(name, writes, pongs, FrameCase.STAYS_OPEN));
                    // the same, but a new message starts before the last fragment
                    List<byte[]> interrupted = new ArrayList<>(writes.subList(0, writes.size() - 1));
                    interrupted.add(frame(opcode, X));
                    cases.add(new FrameCase(name + ", interrupted by a new message", interrupted, pongs,
                            PROTOCOL_ERROR));
                }
            }
            cases.add(FrameCase.closes("continuation after a complete message", PROTOCOL_ERROR, frame(opcode, X),
                    frame(CONTINUATION, X)));
            cases.add(FrameCase.closes("fragments adding up past 64 KiB", FRAGMENTED_OVERSIZE_CLOSE,
                    frame(opcode, filled(40_000), false, 0, true), frame(CONTINUATION, filled(40_000))));
        }
        return cases;
    }

    private static List<FrameCase> closeCodes() {
        List<FrameCase> cases = new ArrayList<>();
        for (int code : new int[] { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999 }) {
            cases.add(FrameCase.closes("close " + code, code, frame(CLOSE, closePayload(code, "bye".getBytes()))));
        }
        for (int code : new int[] { 0, 999, 1004, 1005, 1006, 1016, 2000, 2999 }) {
            cases.add(FrameCase.closes("close " + code + " (not a valid code)", PROTOCOL_ERROR,
                    frame(CLOSE, closePayload(code, new byte[0]))));
        }
        cases.add(FrameCase.closes("close reason not UTF-8", 1007,
                frame(CLOSE, closePayload(1000, HexFormat.of().parseHex("c328")))));
        return cases;
    }

    /** A close, then more frames in the same write: the server answers the close and nothing after it. */
    private static List<FrameCase> framesAfterClose() {
        List<FrameCase> cases = new ArrayList<>();
        byte[] close = frame(CLOSE, closePayload(1000, new byte[0]));
        byte[][] after = { frame(TEXT, X), frame(BINARY, X), frame(PING, X), frame(PONG, X), close,
                frame(3, X), frame(TEXT, X, true, 0, false), frame(CONTINUATION, X), filled(1000) };
        for (int i = 0; i < after.length; i++) {
            cases.add(FrameCase.closes("frame " + i + " after close", 1000, concat(close, after[i])));
            cases.add(FrameCase.closes("frame " + i + " written after close", 1000, close, after[i]));
        }
        return cases;
    }

    private static List<FrameCase> textThatIsNotUtf8() {
        List<FrameCase> cases = new ArrayList<>();
        for (String hex : new String[] { "c328", "fffe", "eda080", "f4908080", "c0af", "e282", "80", "f8888080" }) {
            byte[] bytes = HexFormat.of().parseHex(hex);
            cases.add(expectText("text " + hex, frame(TEXT, bytes)));
            byte[] head = { bytes[0] };
            byte[] tail = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
            cases.add(expectText("text " + hex + " split across fragments",
                    concat(frame(TEXT, head, false, 0, true), frame(CONTINUATION, tail))));
        }
        return cases;
    }

    private static FrameCase expectText(String name, byte[] write) {
        return TEXT_UTF8_CHECKED ? FrameCase.closes(name, 1007, write) : FrameCase.staysOpen(name, List.of(), write);
    }

    /** The expectation for one frame on a fresh connection, as RFC 6455 (and Netty's decoder, in that order) has it. */
    private static FrameCase expect(String name, int opcode, byte[] payload, boolean fin, int rsv, boolean masked) {
        byte[] write = frame(opcode, payload, fin, rsv, masked);
        boolean control = opcode >= 8;
        boolean violation = !masked
                || rsv != 0 // no extension is ever negotiated (RefuseUnnegotiatedExtensions)
                || (control && (!fin || payload.length > 125 || opcode > PONG))
                || (!control && (opcode > BINARY || opcode == CONTINUATION));
        if (violation) {
            return FrameCase.closes(name, PROTOCOL_ERROR, write);
        }
        if (payload.length > MAX_FRAME) {
            return FrameCase.closes(name, TOO_BIG, write);
        }
        if (opcode == CLOSE) {
            return FrameCase.closes(name, 1000, write);
        }
        return FrameCase.staysOpen(name, opcode == PING ? List.of(payload) : List.of(), write);
    }

    private static byte[] filled(int length) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) 'f');
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
