package io.wsc.client;

import static io.wsc.support.TestKey.KEY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wsc.support.TestKey;
import io.wsc.support.TestSubscriber;

/** The Java client against the running server, over real sockets. */
@QuarkusTest
class WscClientTest {

    @TestHTTPResource("/")
    URI base;

    private WscClient client() {
        return WscClient.builder().baseUri(base).accessKey(KEY).build();
    }

    private static String uniqueChannel() {
        return "client/" + UUID.randomUUID();
    }

    @Test
    void sendReachesSubscribersAndAnswersTheReceipt() throws Exception {
        String channel = uniqueChannel();
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel)) {
            PublishReceipt receipt = client().send(channel, "héllo");
            assertEquals(new PublishReceipt("Message sent", channel, 6, 1), receipt);
            assertEquals("héllo", subscriber.next());
        }
    }

    @Test
    void channelNamesAreNormalisedAndEncodedAsTheServerDoes() throws Exception {
        String id = uniqueChannel() + "/room 1?x=%41#";
        String channel = "  /" + id.toUpperCase() + "/ ";
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + id.replace("%", "%25")
                .replace(" ", "%20").replace("?", "%3F").replace("#", "%23"))) {
            assertEquals(id, client().send(channel, "x").channelId());
            assertEquals("x", subscriber.next());
            assertEquals(new ChannelStats(id, 1, 1, 1), client().stat(channel));
        }
    }

    @Test
    void presenceWithoutSubscriberTokensIsRefusedWithTheServersSentence() {
        WscException refused = assertThrows(WscException.class, () -> client().presence(uniqueChannel()));
        assertEquals(400, refused.statusCode());
        assertEquals(true, refused.statusText().startsWith("Presence needs subscriber tokens"), refused.statusText());
    }

    @Test
    void disconnectClosesTheChannelsSubscribersAndCountsThem() throws Exception {
        String channel = uniqueChannel();
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel)) {
            assertEquals(1, client().disconnect(channel.toUpperCase()), "named as the server names it");
            assertEquals(4403, subscriber.awaitClose());
        }
        assertEquals(0, client().disconnect(channel));
    }

    @Test
    void disconnectingAClientWithoutSubscriberTokensIsRefusedWithTheServersSentence() {
        WscException refused = assertThrows(WscException.class, () -> client().disconnectClient("alice"));
        assertEquals(400, refused.statusCode());
        assertEquals(true, refused.statusText().startsWith("?sub= needs subscriber tokens"), refused.statusText());
        assertThrows(IllegalArgumentException.class, () -> client().disconnectClient(""));
    }

    @Test
    void theRootChannel() throws Exception {
        assertEquals("/", client().send("", "to the root").channelId());
        assertEquals("/", client().stat("/").channelId());
    }

    @Test
    void statCountsPeersMessagesAndBytes() throws Exception {
        String channel = uniqueChannel();
        WscClient client = client();
        try (TestSubscriber first = TestSubscriber.connect(base, "/" + channel);
                TestSubscriber second = TestSubscriber.connect(base, "/" + channel)) {
            client.send(channel, "12345");
            client.send(channel, new byte[] { 1, 2, 3 });
            // sent_bytes counts what went out: 8 bytes to each of 2 subscribers
            assertEquals(new ChannelStats(channel, 2, 2, 16), client.stat(channel));
        }
    }

    @Test
    void aChannelNobodyUsedHasZeroStats() throws Exception {
        String channel = uniqueChannel();
        assertEquals(new ChannelStats(channel, 0, 0, 0), client().stat(channel));
    }

    @Test
    void binaryBodiesArriveAsBinaryFramesByteForByte() throws Exception {
        String channel = uniqueChannel();
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel)) {
            assertEquals(256, client().send(channel, bytes).contentLength());
            assertArrayEquals(bytes, (byte[]) subscriber.next());
        }
    }

    @Test
    void aMessageAtTheLimitIsSentAndOneByteMoreIsRefused() throws Exception {
        String channel = uniqueChannel();
        byte[] limit = new byte[1024 * 1024];
        Arrays.fill(limit, (byte) 'a');
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel)) {
            assertEquals(new PublishReceipt("Message sent", channel, limit.length, 1),
                    client().send(channel, new String(limit)));
            assertEquals(limit.length, ((String) subscriber.next()).length());
        }
        WscException tooLarge = assertThrows(WscException.class, () -> client().send(channel, new byte[limit.length + 1]));
        assertEquals(413, tooLarge.statusCode());
        assertEquals("Message is larger than the limit of 1048576 bytes", tooLarge.statusText());
    }

    @Test
    void aWrongKeyIsRefusedWithTheServersStatusText() {
        WscClient wrongKey = WscClient.builder().baseUri(base).accessKey("a0b1c2d3").build();
        WscException refused = assertThrows(WscException.class, () -> wrongKey.send(uniqueChannel(), "x"));
        assertEquals(401, refused.statusCode());
        assertEquals("Not authorized", refused.statusText());
        assertEquals("wsc answered 401: Not authorized", refused.getMessage());
        assertEquals(401, assertThrows(WscException.class, () -> wrongKey.stat(uniqueChannel())).statusCode());
    }

    @Test
    void asyncVariantsCompleteWithTheSameAnswers() throws Exception {
        String channel = uniqueChannel();
        WscClient client = client();
        try (TestSubscriber subscriber = TestSubscriber.connect(base, "/" + channel)) {
            assertEquals(1, client.sendAsync(channel, "a").get().recipients());
            assertEquals(1, client.sendAsync(channel, new byte[] { 7 }).get().recipients());
            assertEquals(new ChannelStats(channel, 1, 2, 2), client.statAsync(channel).get());
            assertEquals("a", subscriber.next());
        }
        WscClient wrongKey = WscClient.builder().baseUri(base).accessKey("wrong").build();
        ExecutionException failed = assertThrows(ExecutionException.class, () -> wrongKey.sendAsync(channel, "x").get());
        assertEquals(401, assertInstanceOf(WscException.class, failed.getCause()).statusCode());
    }

    @Test
    void theOriginalsConstructor() throws Exception {
        String channel = uniqueChannel();
        WscClient client = WscClient.create(KEY, base.getHost(), base.getPort());
        assertEquals(channel, client.send(channel, "x").channelId());
        TestKey.awaitPeers(channel, 0);
    }

    @Test
    void invalidNamesAndSettingsAreRefusedBeforeAnyRequest() {
        WscClient client = client();
        assertEquals("Channel name contains a control character",
                assertThrows(IllegalArgumentException.class, () -> client.send("a\u0007b", "x")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.stat("x".repeat(256)));
        assertThrows(IllegalArgumentException.class, () -> WscClient.builder().baseUri("ws://127.0.0.1:8088"));
        assertThrows(IllegalArgumentException.class, () -> WscClient.builder().accessKey(" "));
        assertThrows(IllegalArgumentException.class, () -> WscClient.builder().accessKey("key\n"));
        assertThrows(IllegalStateException.class, () -> WscClient.builder().baseUri(base).build());
    }
}
