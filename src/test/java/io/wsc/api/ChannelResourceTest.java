package io.wsc.api;

import static io.restassured.RestAssured.given;
import static io.wsc.support.TestKey.KEY;
import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.wsc.support.RawHttp;

/** The HTTP half of the wire contract: publish receipts, stats, auth, limits and errors, over real sockets. */
@QuarkusTest
class ChannelResourceTest {

    @TestHTTPResource("/")
    URI base;


    static String uniqueChannel() {
        return "test/" + UUID.randomUUID();
    }

    @Test
    void publishAnswersTheOriginalReceipt() {
        String channel = uniqueChannel();
        withKey().body("hello").post("/" + channel)
                .then().statusCode(201)
                .contentType(startsWith("application/json"))
                .body("status", equalTo("Message sent"))
                .body("channel_id", equalTo(channel))
                .body("content_length", equalTo(5))
                .body("recipients", equalTo(0));
    }

    /** curl sends non-ASCII path bytes as they are; a browser percent-encodes them. Both name the same channel. */
    @Test
    void rawUtf8PathBytesNameTheSameChannelAsPercentEncodedOnes() throws Exception {
        String head = "POST /raw/caf\u00c3\u00a9 HTTP/1.1\r\nHost: localhost\r\naccess-key: " + KEY
                + "\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx";
        RawHttp.Response raw = RawHttp.exchange(base, head.getBytes(StandardCharsets.ISO_8859_1), 5000);
        assertEquals(201, raw.status(), raw.toString());
        withKey().urlEncodingEnabled(false).get("/raw/caf%C3%A9").then().body("stat.sent_messages", equalTo(1));
        String invalid = "POST /raw/\u00c3( HTTP/1.1\r\nHost: localhost\r\naccess-key: " + KEY
                + "\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx";
        assertEquals(400, RawHttp.exchange(base, invalid.getBytes(StandardCharsets.ISO_8859_1), 5000).status());
    }

    /** The key is the publisher's only credential: an Authorization header meant for something else changes nothing. */
    @Test
    void anUnrelatedAuthorizationHeaderIsIgnored() {
        withKey().header("Authorization", "Bearer not.a.token").body("x").post("/" + uniqueChannel())
                .then().statusCode(201).body("status", equalTo("Message sent"));
        given().header("Authorization", "Bearer not.a.token").body("x").post("/" + uniqueChannel())
                .then().statusCode(401);
    }

    @Test
    void channelIdInTheReceiptIsNormalised() {
        String channel = uniqueChannel();
        withKey().body("x").post("/" + channel.toUpperCase() + "/")
                .then().statusCode(201).body("channel_id", equalTo(channel));
    }

    @Test
    void contentLengthCountsUtf8Bytes() {
        withKey().contentType("text/plain; charset=utf-8").body("héllo €".getBytes(StandardCharsets.UTF_8))
                .post("/" + uniqueChannel())
                .then().statusCode(201).body("content_length", equalTo(10));
    }

    @Test
    void emptyBodyIsAllowed() {
        withKey().post("/" + uniqueChannel()).then().statusCode(201).body("content_length", equalTo(0));
    }

    @Test
    void unknownChannelHasZeroStats() {
        String channel = uniqueChannel();
        withKey().get("/" + channel).then().statusCode(200)
                .body("channel_id", equalTo(channel))
                .body("stat.peers", equalTo(0))
                .body("stat.sent_messages", equalTo(0))
                .body("stat.sent_bytes", equalTo(0));
    }

    @Test
    void statsCountMessagesPublishedWithoutSubscribers() {
        String channel = uniqueChannel();
        withKey().body("abc").post("/" + channel).then().statusCode(201);
        withKey().body("de").post("/" + channel).then().statusCode(201);
        withKey().get("/" + channel).then().statusCode(200)
                .body("stat.sent_messages", equalTo(2))
                .body("stat.sent_bytes", equalTo(0));
    }

    @Test
    void rootChannel() {
        withKey().body("r").post("/").then().statusCode(201).body("channel_id", equalTo("/"));
        withKey().get("/").then().statusCode(200).body("channel_id", equalTo("/"));
    }

    @Test
    void headerNameIsCaseInsensitive() {
        given().header("Access-Key", KEY).body("x").post("/" + uniqueChannel()).then().statusCode(201);
        given().header("ACCESS-KEY", KEY).get("/" + uniqueChannel()).then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "a0b1c2d3", "A0B1C2D", "A0B1C2D3x", "A0B1C2D3A0B1C2D3", "" })
    void wrongKeyIsUnauthorized(String key) {
        given().header("access-key", key).body("x").post("/" + uniqueChannel())
                .then().statusCode(401).body("status", equalTo("Not authorized"));
        given().header("access-key", key).get("/" + uniqueChannel())
                .then().statusCode(401).body("status", equalTo("Not authorized"));
    }

    @Test
    void missingKeyIsUnauthorized() {
        given().body("x").post("/" + uniqueChannel()).then().statusCode(401).body("status", equalTo("Not authorized"));
        given().get("/" + uniqueChannel()).then().statusCode(401).body("status", equalTo("Not authorized"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "PUT", "PATCH", "OPTIONS" })
    void otherMethodsAre405WithAllow(String method) {
        withKey().body("x").request(method, "/" + uniqueChannel())
                .then().statusCode(405)
                .header("Allow", equalTo("GET, HEAD, POST, DELETE"))
                .body("status", startsWith("Method not allowed"));
    }

    @Test
    void oneMebibyteIsAcceptedAndOneMoreByteIsNot() {
        String channel = uniqueChannel();
        withKey().body(new byte[1048576]).contentType("application/octet-stream").post("/" + channel)
                .then().statusCode(201).body("content_length", equalTo(1048576));
        withKey().body(new byte[1048577]).contentType("application/octet-stream").post("/" + channel)
                .then().statusCode(413).body("status", equalTo("Message is larger than the limit of 1048576 bytes"));
    }

    @Test
    void chunkedBodiesAreLimitedToo() throws Exception {
        String channel = uniqueChannel();
        HttpResponse<String> small = postChunked(channel, new byte[1048576]);
        assertEquals(201, small.statusCode(), small.body());
        // Without a declared length the body is stopped as it streams in: 413, connection closed (README).
        HttpResponse<String> large = postChunked(channel, new byte[1048577]);
        assertEquals(413, large.statusCode());
    }

    /** Java's HttpClient sends a body of unknown length chunked (no Content-Length). */
    private HttpResponse<String> postChunked(String channel, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(channel))
                .header("access-key", KEY).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void textBodyMustBeUtf8() {
        withKey().contentType("text/plain").body(new byte[] { 'a', (byte) 0xC3, 0x28 }).post("/" + uniqueChannel())
                .then().statusCode(400).body("status", startsWith("Text body is not valid UTF-8"));
    }

    @Test
    void binaryBodyNeedNotBeUtf8() {
        withKey().contentType("application/octet-stream").body(new byte[] { (byte) 0xFF, 0 }).post("/" + uniqueChannel())
                .then().statusCode(201).body("content_length", equalTo(2));
    }

    @Test
    void channelNamesOver255CharactersAreRefused() {
        withKey().body("x").post("/" + "a".repeat(255)).then().statusCode(201);
        withKey().body("x").post("/" + "a".repeat(256))
                .then().statusCode(400).body("status", equalTo("Channel name is longer than 255 characters"));
        withKey().get("/" + "a".repeat(256)).then().statusCode(400);
    }

    @Test
    void controlCharactersAreRefused() {
        withKey().urlEncodingEnabled(false).body("x").post("/a%01b")
                .then().statusCode(400).body("status", equalTo("Channel name contains a control character"));
    }

    @Test
    void quarkusPathsAreNotChannels() {
        withKey().body("x").post("/q/anything").then().statusCode(404).body("status", equalTo("Not Found"));
    }
}
