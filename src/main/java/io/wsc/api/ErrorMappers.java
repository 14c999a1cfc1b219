package io.wsc.api;

import java.io.IOException;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import io.wsc.broker.BrokerUnavailableException;
import io.wsc.channel.InvalidChannelException;

/** Turns every failure into {@code {"status": "..."}} with the right code; nothing escapes as a bare 5xx page. */
public class ErrorMappers {

    /** HEAD comes with GET: it answers the stats headers without a body. */
    static final String ALLOWED_METHODS = "GET, HEAD, POST";

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response invalidChannel(InvalidChannelException e) {
        return ErrorBody.response(400, e.getMessage());
    }

    /** Never a 201 for a message that went nowhere. */
    @ServerExceptionMapper
    public Response brokerUnavailable(BrokerUnavailableException e) {
        return ErrorBody.response(503, e.getMessage());
    }

    @ServerExceptionMapper
    public Response methodNotAllowed(NotAllowedException e) {
        return Response.fromResponse(ErrorBody.response(405, "Method not allowed; a channel takes GET (stats) and POST"))
                .header(HttpHeaders.ALLOW, ALLOWED_METHODS)
                .build();
    }

    /** Whatever else JAX-RS refuses (404, 406, 415, ...), with its reason phrase as the sentence. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        return ErrorBody.response(e.getResponse().getStatus(), e.getResponse().getStatusInfo().getReasonPhrase());
    }

    /** A body cut off at Quarkus's size limit or by the client: Vert.x has already answered or the peer is gone. */
    @ServerExceptionMapper
    public Uni<Response> unreadableBody(IOException e, HttpServerResponse response) {
        LOG.debugf("Request body not read: %s", e.getMessage());
        if (response.ended()) {
            return Uni.createFrom().nothing(); // Quarkus has already answered 413 and is closing the connection
        }
        return Uni.createFrom().item(ErrorBody.response(400, "The request body could not be read"));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Unexpected failure while serving a request", e);
        return ErrorBody.response(500, "Internal error");
    }
}
