package io.wsc.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.wsc.broker.Broker;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.ChannelId;
import io.wsc.channel.Message;
import io.wsc.channel.Utf8;
import io.wsc.config.WscConfig;

/**
 * Publish ({@code POST}) and stats ({@code GET}) on the channel's own URL. {@link AccessKeyFilter} has checked the key
 * before either runs. Answers are always JSON, whatever the request's Accept says: no {@code @Produces}, so a
 * publisher that sends {@code Accept: text/html} is not refused with a 406.
 */
@Path("/")
@NonBlocking
public class ChannelResource {

    private final Broker broker;
    private final ChannelHub hub;
    private final WscConfig config;

    ChannelResource(Broker broker, ChannelHub hub, WscConfig config) {
        this.broker = broker;
        this.hub = hub;
        this.config = config;
    }

    @POST
    @Path("{channel: .*}")
    public Uni<Response> publish(HttpServerRequest request, byte[] body) {
        String channelId = channelOf(request);
        // PublishSizeLimit and Quarkus's body limit stop larger bodies first, unless an operator raised the latter.
        if (body.length > config.maxMessageBytes()) {
            return Uni.createFrom().item(tooLarge(config.maxMessageBytes()));
        }
        if (!hub.admits(channelId, config.maxChannels())) {
            return Uni.createFrom().item(ErrorBody.response(503,
                    "Too many channels on this server (wsc.max-channels); publish to an existing channel"));
        }
        boolean binary = isBinary(request.getHeader("Content-Type"));
        if (!binary && Utf8.decode(body).isEmpty()) {
            return Uni.createFrom().item(ErrorBody.response(400,
                    "Text body is not valid UTF-8; send binary data with Content-Type: application/octet-stream"));
        }
        return broker.publish(new Message(channelId, body, binary))
                .map(recipients -> json(201, PublishReceipt.sent(channelId, body.length, recipients)));
    }

    @GET
    @Path("{channel: .*}")
    public Uni<Response> stats(HttpServerRequest request) {
        String channelId = channelOf(request);
        return broker.stats(channelId).map(stats -> json(200, new StatsReport(channelId, stats)));
    }

    @OPTIONS
    @Path("{channel: .*}")
    public Response options() {
        throw new NotAllowedException(ErrorMappers.ALLOWED_METHODS);
    }

    static String tooLargeSentence(int limit) {
        return "Message is larger than the limit of " + limit + " bytes";
    }

    private static Response json(int status, Object entity) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(entity).build();
    }

    private static Response tooLarge(int limit) {
        return ErrorBody.response(413, tooLargeSentence(limit));
    }

    private static String channelOf(HttpServerRequest request) {
        if (ChannelId.isReservedPath(request.path())) {
            throw new NotFoundException();
        }
        return ChannelId.fromRawPath(request.path());
    }

    /** Only {@code application/octet-stream} (any parameters) asks for a binary frame; everything else is text. */
    private static boolean isBinary(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return type.trim().equalsIgnoreCase(MediaType.APPLICATION_OCTET_STREAM);
    }
}
