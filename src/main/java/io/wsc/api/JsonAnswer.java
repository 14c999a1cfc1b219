package io.wsc.api;

import jakarta.ws.rs.core.Response;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * wsc's answers: always JSON, errors as {@code {"status": "<a sentence>"}} with their HTTP status code; as a JAX-RS
 * response for the channel resource, or written straight to Vert.x by the routes before it.
 */
public final class JsonAnswer {

    private static final String JSON = "application/json";

    private JsonAnswer() {
    }

    static Response json(int status, String encodedBody) {
        return Response.status(status).type(JSON).entity(encodedBody).build();
    }

    static Response error(int status, String sentence) {
        return json(status, errorBody(sentence));
    }

    /** An error answer that tells the client when to try again. */
    static Response retryLater(int status, String sentence, long retryAfterSeconds) {
        return Response.status(status).type(JSON).entity(errorBody(sentence))
                .header("Retry-After", Long.toString(retryAfterSeconds)).build();
    }

    static void send(HttpServerResponse response, int status, String encodedBody) {
        if (response.ended() || response.closed()) {
            return; // the client is gone, or an earlier answer already went out
        }
        response.setStatusCode(status).putHeader(HttpHeaderNames.CONTENT_TYPE, JSON).end(encodedBody);
    }

    public static void error(HttpServerResponse response, int status, String sentence) {
        send(response, status, errorBody(sentence));
    }

    static String errorBody(String sentence) {
        return new JsonObject().put("status", sentence).encode();
    }
}
