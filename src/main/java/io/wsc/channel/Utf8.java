package io.wsc.channel;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Strict UTF-8 decoding: malformed input is refused, never replaced. */
public final class Utf8 {

    private Utf8() {
    }

    /** Whether {@code bytes} are well-formed UTF-8; plain ASCII, the common case, is checked without decoding. */
    public static boolean isValid(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return decode(bytes).isPresent();
            }
        }
        return true;
    }

    public static Optional<String> decode(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
