package io.wsc.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes wsc's answers: always JSON, errors as {@code {"status": "<a sentence>"}} with their HTTP status code. */
public final class JsonAnswer {

    private static final String JSON = "application/json";

    private JsonAnswer() {
    }

    static void send(HttpServerResponse response, int status, JsonObject body) {
        send(response, status, body.encode());
    }

    static void send(HttpServerResponse response, int status, String encodedBody) {
        if (response.ended() || response.closed()) {
            return; // the client is gone, or an earlier answer (e.g. to a body over the limit) already went out
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
