package io.wsc.api;

import static io.restassured.RestAssured.given;
import static io.wsc.support.TestKey.withKey;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.net.URL;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI document, on the management interface: both channel operations, their answers and the key scheme. */
@QuarkusTest
class OpenApiDocumentTest {

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @Test
    void describesPublishAndStatsWithTheAccessKeyScheme() {
        given().queryParam("format", "json").get(openapi).then().statusCode(200)
                .body("paths.'/{channel}'.post.operationId", equalTo("publish"))
                .body("paths.'/{channel}'.get.operationId", equalTo("stats"))
                .body("paths.'/{channel}'.post.requestBody.content", hasKey("application/octet-stream"))
                .body("paths.'/{channel}'.post.responses.keySet()", hasItems("201", "400", "401", "413", "429", "503"))
                .body("paths.'/{channel}'.get.responses.keySet()", hasItems("200", "401", "503"))
                .body("paths.'/{channel}'", not(hasKey("options")))
                .body("components.securitySchemes.access-key.type", equalTo("apiKey"))
                .body("components.securitySchemes.access-key.in", equalTo("header"))
                .body("components.securitySchemes.access-key.name", equalTo("access-key"))
                .body("paths.'/{channel}'.post.security[0]", hasKey("access-key"))
                .body("paths.'/{channel}'.get.security[0]", hasKey("access-key"))
                .body("paths.'/{channel}'.get.parameters.'$ref'", hasItems("#/components/parameters/presence"))
                .body("components.parameters.presence.in", equalTo("query"))
                .body("components.schemas.Presence.required", hasItems("channel", "clients", "truncated"));
    }

    /** The publish to several channels: its repeated query parameter, and the receipt with one entry per channel. */
    @Test
    void describesPublishingToSeveralChannels() {
        given().queryParam("format", "json").get(openapi).then().statusCode(200)
                .body("paths.'/{channel}'.post.parameters.'$ref'",
                        hasItems("#/components/parameters/channel", "#/components/parameters/moreChannels"))
                .body("components.parameters.moreChannels.in", equalTo("query"))
                .body("components.parameters.moreChannels.name", equalTo("channel"))
                .body("components.parameters.moreChannels.schema.type", equalTo("array"))
                .body("paths.'/{channel}'.post.responses.'201'.'$ref'", equalTo("#/components/responses/Sent"))
                .body("components.responses.Sent.content.'application/json'.schema.oneOf.'$ref'",
                        hasItems("#/components/schemas/Receipt", "#/components/schemas/ManyReceipt"))
                .body("components.responses.Unavailable.content.'application/json'.schema.oneOf.'$ref'",
                        hasItems("#/components/schemas/Failure", "#/components/schemas/ManyReceipt"))
                .body("components.schemas.ManyReceipt.properties.channels.items.properties", hasKey("error"));
    }

    /** The disconnect: DELETE on the channel's URL, or on the root with ?sub=. */
    @Test
    void describesDisconnect() {
        given().queryParam("format", "json").get(openapi).then().statusCode(200)
                .body("paths.'/{channel}'.delete.operationId", equalTo("disconnect"))
                .body("paths.'/{channel}'.delete.responses.keySet()", hasItems("200", "400", "401", "429", "503"))
                .body("paths.'/{channel}'.delete.security[0]", hasKey("access-key"))
                .body("paths.'/{channel}'.delete.parameters.'$ref'", hasItems("#/components/parameters/sub"))
                .body("components.parameters.sub.in", equalTo("query"))
                .body("components.schemas.Disconnected.properties", hasKey("subscribers"));
    }

    @Test
    void theDocumentIsNotOnThePublicPortWhereChannelsLive() {
        withKey().get("/q/openapi").then().statusCode(404).body("status", equalTo("Not Found"));
    }
}
