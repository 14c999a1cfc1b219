package io.wsc.page;

import static io.restassured.RestAssured.given;
import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Which GETs on a channel URL get the live page, and which stay stats or a 401 (plain HTTP; the browser test runs it). */
@QuarkusTest
class LiveChannelPageTest {

    private static final String CHANNEL = "/page/" + UUID.randomUUID();

    @Test
    void aBrowserWithoutTheKeyGetsThePageWithAStrictContentSecurityPolicy() {
        given().accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").get(CHANNEL)
                .then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Content-Security-Policy", startsWith("default-src 'none'; script-src 'sha256-"))
                .header("Content-Security-Policy", containsString("connect-src 'self'"))
                .header("X-Content-Type-Options", "nosniff")
                .body(containsString("new WebSocket(subscribeUrl(), \"wsc.v1.json\")"));
    }

    @Test
    void withoutHtmlInAcceptItStaysA401AsInTheOriginal() {
        given().get(CHANNEL).then().statusCode(401).body("status", equalTo("Not authorized"));
        given().accept("*/*").get(CHANNEL).then().statusCode(401);
        given().accept("application/json").get(CHANNEL).then().statusCode(401);
        given().accept("text/html;q=0, application/json").get(CHANNEL).then().statusCode(401);
        given().accept("text/html").body("x").post(CHANNEL).then().statusCode(401);
    }

    @Test
    void withTheKeyItIsAStatsRequest() {
        withKey().accept("application/json").get(CHANNEL).then().statusCode(200).body("channel_id", equalTo(CHANNEL.substring(1)));
    }

    @Test
    void quarkusPathsAndInvalidNamesAreNotChannelPages() {
        given().accept("text/html").get("/q/nothing").then().statusCode(401);
        given().urlEncodingEnabled(false).accept("text/html").get("/a%07b").then().statusCode(401);
    }

    @Test
    void acceptHeaderParsing() {
        assertTrue(LiveChannelPage.acceptsHtml("text/html"));
        assertTrue(LiveChannelPage.acceptsHtml("application/json, TEXT/HTML ; q=0.5"));
        assertFalse(LiveChannelPage.acceptsHtml(null));
        assertFalse(LiveChannelPage.acceptsHtml("*/*"));
        assertFalse(LiveChannelPage.acceptsHtml("text/html;q=0.000"));
        assertFalse(LiveChannelPage.acceptsHtml("text/htmlx"));
    }
}
