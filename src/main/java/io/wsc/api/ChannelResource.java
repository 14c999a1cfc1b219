package io.wsc.api;

import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.wsc.broker.Broker;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.ChannelId;
import io.wsc.channel.ChannelStats;
import io.wsc.channel.Message;
import io.wsc.channel.Published;
import io.wsc.channel.Utf8;
import io.wsc.config.WscConfig;

/**
 * Publish, stats and disconnect on the channel's URL, on the event loop. The live page, event streams and WebSocket upgrades are
 * taken before a request gets here; the key was checked by {@link AccessKeyFilter}; failures become JSON answers in
 * {@link ChannelErrors}.
 */
@NonBlocking
public class ChannelResource implements ChannelApi {

    /** HEAD comes with GET: it answers the stats headers without a body. */
    static final String ALLOWED_METHODS = "GET, HEAD, POST, DELETE";

    static final String FAN_OUT_FULL = "The server is still sending earlier messages to this channel's subscribers"
            + " (wsc.fan-out.max-queued-bytes); retry after Retry-After seconds";
    static final String TOO_MANY_CHANNELS = "Too many channels on this server (wsc.max-channels); publish to an"
            + " existing channel";

    private final Broker broker;
    private final ChannelHub hub;
    private final PresenceAnswer presence;
    private final DisconnectAnswer disconnect;
    private final int maxMessageBytes;
    private final OptionalInt maxChannels;
    private final int maxChannelsPerPublish;
    private final PublishToMany toMany;

    ChannelResource(Broker broker, ChannelHub hub, PresenceAnswer presence, DisconnectAnswer disconnect,
            WscConfig config) {
        this.presence = presence;
        this.disconnect = disconnect;
        this.broker = broker;
        this.hub = hub;
        this.maxMessageBytes = config.maxMessageBytes();
        this.maxChannels = config.maxChannels();
        this.maxChannelsPerPublish = config.maxChannelsPerPublish();
        this.toMany = new PublishToMany(broker, hub, maxChannels);
    }

    static String tooLargeSentence(int limit) {
        return "Message is larger than the limit of " + limit + " bytes";
    }

    @Override
    public CompletionStage<Response> publish(String channel, HttpServerRequest request) {
        String channelId = channelOf(request);
        List<String> channelIds = PublishChannels.of(request, channelId, maxChannelsPerPublish); // null: just the path's
        if (channelIds != null) {
            return PublishBody.read(request, maxMessageBytes).thenCompose(body -> toMany.publish(request, channelIds,
                    body));
        }
        return PublishBody.read(request, maxMessageBytes).thenCompose(body -> publish(request, channelId, body));
    }

    private CompletionStage<Response> publish(HttpServerRequest request, String channelId, Buffer body) {
        if (!hub.admits(channelId, maxChannels)) {
            return answer(JsonAnswer.error(503, TOO_MANY_CHANNELS));
        }
        if (!hub.fanOutHasRoom(channelId, body.length())) {
            return answer(JsonAnswer.retryLater(503, FAN_OUT_FULL, 1));
        }
        String contentType = request.getHeader(HttpHeaderNames.CONTENT_TYPE);
        String mediaType = mediaType(contentType);
        byte[] bytes = body.getBytes();
        boolean binary = isBinary(mediaType);
        String refusal = contentRefusal(contentType, mediaType, binary, bytes);
        if (refusal != null) {
            return answer(JsonAnswer.error(400, refusal));
        }
        return broker.publish(new Message(channelId, bytes, binary))
                .thenApply(published -> JsonAnswer.json(201, receipt(channelId, bytes.length, published)));
    }

    /** Only {@code application/octet-stream} asks for a binary frame; everything else is text. */
    static boolean isBinary(String mediaType) {
        return mediaType.equalsIgnoreCase("application/octet-stream");
    }

    /** Why the body cannot go out as its Content-Type says (the sentence of a 400), or null when it can. */
    static String contentRefusal(String contentType, String mediaType, boolean binary, byte[] bytes) {
        if (contentType != null && mediaType.indexOf('/') < 0) {
            return "Content-Type is not a media type (type/subtype)";
        }
        if (!binary && !Utf8.isValid(bytes)) {
            return "Text body is not valid UTF-8; send binary data with Content-Type: application/octet-stream";
        }
        return null;
    }

    static CompletionStage<Response> answer(Response response) {
        return CompletableFuture.completedFuture(response);
    }

    /**
     * The 201 answer, field for field as the original wsc sends it, plus {@code message_id} when history is on; written
     * by hand as it goes out on every publish.
     */
    private static String receipt(String channelId, int contentLength, Published published) {
        StringBuilder receipt = new StringBuilder(112).append("{\"status\":\"Message sent\",\"channel_id\":\"")
                .append(JsonStringEncoder.getInstance().quoteAsString(channelId))
                .append("\",\"content_length\":").append(contentLength)
                .append(",\"recipients\":").append(published.recipients());
        if (published.messageId() > 0) {
            receipt.append(",\"message_id\":\"").append(published.messageId()).append('"');
        }
        return receipt.append('}').toString();
    }

    @Override
    public Uni<Response> stats(String channel, HttpServerRequest request) {
        String channelId = channelOf(request);
        if (request.params().contains(PresenceAnswer.PARAMETER)) {
            return presence.answer(channelId);
        }
        return broker.stats(channelId).map(stats -> JsonAnswer.json(200, statsBody(channelId, stats).encode()));
    }

    @Override
    public Uni<Response> statsHeaders(String channel, HttpServerRequest request) {
        return stats(channel, request);
    }

    @Override
    public CompletionStage<Response> disconnect(String channel, HttpServerRequest request) {
        return disconnect.answer(channelOf(request), request);
    }

    @Override
    public Response options(String channel) {
        return ChannelErrors.methodNotAllowed();
    }

    private static JsonObject statsBody(String channelId, ChannelStats stats) {
        return new JsonObject().put("channel_id", channelId).put("stat", new JsonObject().put("peers", stats.peers())
                .put("sent_messages", stats.sentMessages()).put("sent_bytes", stats.sentBytes()));
    }

    /** The channel's name from the raw path (curl sends UTF-8 bytes as they are); Quarkus's {@code /q/} is not one. */
    private static String channelOf(HttpServerRequest request) {
        String path = request.path();
        if (ChannelId.isReservedPath(path)) {
            throw new ReservedPathException();
        }
        return ChannelId.fromRawPath(path);
    }

    /** A path under {@code /q/} that nothing of Quarkus's serves: 404, never a channel. */
    static final class ReservedPathException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReservedPathException() {
            super(null, null, false, false);
        }
    }

    /** The media type without parameters, empty when there is none. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    }
}
