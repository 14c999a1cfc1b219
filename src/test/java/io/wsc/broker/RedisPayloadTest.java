package io.wsc.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.wsc.channel.Message;

/** The pub/sub payload with and without the sequence number and id the publish scripts put in front. */
class RedisPayloadTest {

    @Test
    void aPlainPayloadHasNoId() {
        byte[] payload = RedisPayload.encode(new Message("c", "#1 x".getBytes(StandardCharsets.UTF_8), false));
        RedisPayload.Received received = RedisPayload.decodeReceived("c", payload);
        assertEquals(0, received.id());
        assertEquals("#1 x", new String(received.message().body(), StandardCharsets.UTF_8));
        assertFalse(received.message().binary());
    }

    @Test
    void anIdInFrontIsReadAndTheBodyStaysUnchanged() {
        byte[] body = {'#', ' ', 0, (byte) 0xff};
        byte[] plain = RedisPayload.encode(new Message("c", body, true));
        byte[] prefix = "#1795762937051005 ".getBytes(StandardCharsets.US_ASCII);
        byte[] payload = new byte[prefix.length + plain.length];
        System.arraycopy(prefix, 0, payload, 0, prefix.length);
        System.arraycopy(plain, 0, payload, prefix.length, plain.length);
        RedisPayload.Received received = RedisPayload.decodeReceived("c", payload);
        assertEquals(1795762937051005L, received.id());
        assertArrayEquals(body, received.message().body());
        assertTrue(received.message().binary());
        assertEquals("c", received.message().channelId());
    }

    @Test
    void anEmptyBodyWithAnId() {
        RedisPayload.Received received = RedisPayload.decodeReceived("c", "#7 t".getBytes(StandardCharsets.US_ASCII));
        assertEquals(7, received.id());
        assertEquals(0, received.message().body().length);
    }

    @Test
    void aSequenceNumberAnIdAndAStampInFront() {
        RedisPayload.Received received = RedisPayload.decodeReceived("c",
                "#1795762937051042:1795762937051005:1795762937051234567 t:x y".getBytes(StandardCharsets.US_ASCII));
        assertEquals(1795762937051042L, received.seq());
        assertEquals(1795762937051005L, received.id());
        assertEquals(1795762937051234567L, received.stamp());
        assertEquals(":x y", new String(received.message().body(), StandardCharsets.US_ASCII));
    }

    @Test
    void aSequenceNumberWithoutHistoryHasIdZero() {
        RedisPayload.Received received = RedisPayload.decodeReceived("c", "#12:0:99 b".getBytes(StandardCharsets.US_ASCII));
        assertEquals(12, received.seq());
        assertEquals(0, received.id());
        assertEquals(99, received.stamp());
        assertEquals(0, received.message().body().length);
        assertTrue(received.message().binary());
    }

    @Test
    void anIdAloneComesFromAnEarlierVersionAndHasNoSequenceNumber() {
        RedisPayload.Received received = RedisPayload.decodeReceived("c", "#7 tz".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, received.seq());
        assertEquals(7, received.id());
    }
}
