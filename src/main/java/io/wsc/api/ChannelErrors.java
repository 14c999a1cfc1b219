package io.wsc.api;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.wsc.broker.BrokerUnavailableException;
import io.wsc.channel.InvalidChannelException;
import io.wsc.config.WscConfig;

/** What goes wrong on a channel request, as the JSON answer the contract gives it; nothing escapes as a bare 5xx. */
public class ChannelErrors {

    private static final Logger LOG = Logger.getLogger(ChannelErrors.class);

    private final String tooLarge;

    ChannelErrors(WscConfig config) {
        this.tooLarge = ChannelResource.tooLargeSentence(config.maxMessageBytes());
    }

    static Response methodNotAllowed() {
        return Response.fromResponse(JsonAnswer.error(405, "Method not allowed; a channel takes GET (stats), POST and DELETE"))
                .header(HttpHeaderNames.ALLOW.toString(), ChannelResource.ALLOWED_METHODS).build();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return methodNotAllowed();
    }

    @ServerExceptionMapper
    public Response invalidChannel(InvalidChannelException e) {
        return JsonAnswer.error(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response tooManyChannels(PublishChannels.TooMany e) {
        return JsonAnswer.error(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response reservedPath(ChannelResource.ReservedPathException e) {
        return JsonAnswer.error(404, "Not Found");
    }

    /** The rest of the body is still on the wire: the connection closes once this is out ({@link PublishBody}). */
    @ServerExceptionMapper
    public Response tooLarge(PublishBody.TooLarge e) {
        return Response.fromResponse(JsonAnswer.error(413, tooLarge)).header("Connection", "close").build();
    }

    @ServerExceptionMapper
    public Response unreadable(PublishBody.Unreadable e) {
        return JsonAnswer.error(400, "The request body could not be read");
    }

    /** Never a 201 for a message that went nowhere. */
    @ServerExceptionMapper
    public Response unavailable(BrokerUnavailableException e) {
        return JsonAnswer.error(503, e.getMessage());
    }

    /** What Quarkus REST itself refuses (e.g. a malformed request), with its own status. */
    @ServerExceptionMapper
    public Response refused(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        return JsonAnswer.error(status.getStatusCode(), status.getReasonPhrase());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable failure) { // Quarkus REST unwraps a failed CompletionStage's cause first
        LOG.error("Unexpected failure while serving a request", failure);
        return JsonAnswer.error(500, "Internal error");
    }
}
