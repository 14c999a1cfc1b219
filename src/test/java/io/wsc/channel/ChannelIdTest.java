package io.wsc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelIdTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/chat/room/1      | chat/room/1",
            "/Chat/Room/1/     | chat/room/1",
            "//chat/room/1//   | chat/room/1",
            "/%20chat/room%20/ | chat/room",
            "/a%2Fb            | a/b",
            "/a+b              | a+b",
            "/caf%C3%A9        | café",
            "/\u00c3\u0089T\u00c3\u0089    | été",
            "/a//b             | a//b",
    })
    void normalisesLikeTheOriginal(String rawPath, String expected) {
        assertEquals(expected, ChannelId.fromRawPath(rawPath));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "/", "//", "/ / ", "/%20/" })
    void emptyNamesAreTheRootChannel(String rawPath) {
        assertEquals("/", ChannelId.fromRawPath(rawPath));
    }

    @Test
    void acceptsExactly255Characters() {
        String name = "a".repeat(255);
        assertEquals(name, ChannelId.fromRawPath("/" + name + "/"));
        assertThrows(InvalidChannelException.class, () -> ChannelId.fromRawPath("/" + name + "a"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/a%00b", "/a%01", "/a%7Fb", "/a%0Ab", "/a%C2%85b", "/%zz", "/a%4", "/a%", "/%C3%28", "/%FF" })
    void refusesControlCharactersAndBadEncoding(String rawPath) {
        assertThrows(InvalidChannelException.class, () -> ChannelId.fromRawPath(rawPath));
    }

    @Test
    void quarkusPathsAreNotChannels() {
        assertTrue(ChannelId.isReservedPath("/q/health"));
        assertTrue(ChannelId.isReservedPath("/q"));
        assertFalse(ChannelId.isReservedPath("/queue"));
        assertFalse(ChannelId.isReservedPath("/a/q/b"));
    }
}
