package io.wsc.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The constant-time comparison itself: only the exact key matches, whatever its length relation to the input. */
class AccessKeyTest {

    private static final byte[] KEY = bytes("A0B1C2D3");

    @Test
    void theExactKeyMatches() {
        assertTrue(AccessKey.sameBytes(KEY, bytes("A0B1C2D3")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "A", "A0B1C2D", "A0B1C2D3x", "A0B1C2D3A0B1C2D3", "a0b1c2d3", "B0B1C2D3", "A0B1C2D4",
            "A0B1", "A0B1A0B1" })
    void anythingElseDoesNot(String presented) {
        assertFalse(AccessKey.sameBytes(KEY, bytes(presented)));
    }

    @Test
    void aRepeatingKeyIsNotMatchedByItsPeriod() {
        assertFalse(AccessKey.sameBytes(bytes("abab"), bytes("ab")));
        assertFalse(AccessKey.sameBytes(bytes("aaaa"), bytes("a")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
