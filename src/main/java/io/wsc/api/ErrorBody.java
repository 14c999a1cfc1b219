package io.wsc.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Every error answer: {@code {"status": "<a sentence>"}} with its HTTP status code. */
public record ErrorBody(String status) {

    static Response response(int code, String sentence) {
        return Response.status(code).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorBody(sentence)).build();
    }
}
