package io.wsc.api;

import java.util.OptionalInt;
import java.util.concurrent.CompletionException;

import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wsc.broker.Broker;
import io.wsc.broker.BrokerUnavailableException;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.ChannelId;
import io.wsc.channel.ChannelStats;
import io.wsc.channel.InvalidChannelException;
import io.wsc.channel.Message;
import io.wsc.channel.Published;
import io.wsc.channel.Utf8;
import io.wsc.config.WscConfig;
import io.wsc.lifecycle.GracefulShutdown;

/**
 * Publish ({@code POST}) and stats ({@code GET}, {@code HEAD}) on the channel's own URL, as one Vert.x route after
 * every other (the live page and WebSocket upgrades are taken before it). A plain route rather than a REST resource:
 * publishing is the hot path, and JAX-RS's request context, filters and entity writers cost more than the publish.
 * Answers are always JSON, whatever the request's Accept says.
 */
@Singleton
public class ChannelRoute {

    /** HEAD comes with GET: it answers the stats headers without a body. */
    static final String ALLOWED_METHODS = "GET, HEAD, POST";

    private static final Logger LOG = Logger.getLogger(ChannelRoute.class);

    private final AccessGate gate;
    private final Broker broker;
    private final ChannelHub hub;
    private final GracefulShutdown shutdown;
    private final int maxMessageBytes;
    private final OptionalInt maxChannels;

    ChannelRoute(AccessGate gate, Broker broker, ChannelHub hub, GracefulShutdown shutdown, WscConfig config) {
        this.gate = gate;
        this.broker = broker;
        this.hub = hub;
        this.shutdown = shutdown;
        this.maxMessageBytes = config.maxMessageBytes();
        this.maxChannels = config.maxChannels();
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_AFTER_DEFAULT).handler(this::serve);
    }

    static String tooLargeSentence(int limit) {
        return "Message is larger than the limit of " + limit + " bytes";
    }

    private void serve(RoutingContext context) {
        if (shutdown.isShuttingDown()) {
            // A publisher on a kept-alive connection reconnects, to another node once this one is out of the endpoints.
            context.response().putHeader(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        try {
            answer(context.request());
        } catch (RuntimeException e) {
            failed(context.response(), e);
        }
    }

    private void answer(HttpServerRequest request) {
        HttpMethod method = request.method();
        boolean options = method == HttpMethod.OPTIONS;
        if (method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.POST && !options) {
            methodNotAllowed(request.response());
            return;
        }
        if (!gate.admits(request)) {
            return;
        }
        if (options) {
            methodNotAllowed(request.response());
            return;
        }
        String channelId;
        try {
            channelId = channelOf(request);
        } catch (InvalidChannelException e) {
            JsonAnswer.error(request.response(), 400, e.getMessage());
            return;
        }
        if (channelId == null) {
            JsonAnswer.error(request.response(), 404, "Not Found");
        } else if (method == HttpMethod.POST) {
            PublishBody.read(request, maxMessageBytes, body -> {
                try {
                    publish(request, channelId, body);
                } catch (RuntimeException e) {
                    failed(request.response(), e);
                }
            });
        } else {
            stats(request.response(), channelId);
        }
    }

    private void publish(HttpServerRequest request, String channelId, Buffer body) {
        HttpServerResponse response = request.response();
        if (!hub.admits(channelId, maxChannels)) {
            JsonAnswer.error(response, 503,
                    "Too many channels on this server (wsc.max-channels); publish to an existing channel");
            return;
        }
        String contentType = request.getHeader(HttpHeaderNames.CONTENT_TYPE);
        String mediaType = mediaType(contentType);
        if (contentType != null && mediaType.indexOf('/') < 0) {
            JsonAnswer.error(response, 400, "Content-Type is not a media type (type/subtype)");
            return;
        }
        byte[] bytes = body.getBytes();
        boolean binary = mediaType.equalsIgnoreCase("application/octet-stream");
        if (!binary && !Utf8.isValid(bytes)) {
            JsonAnswer.error(response, 400,
                    "Text body is not valid UTF-8; send binary data with Content-Type: application/octet-stream");
            return;
        }
        broker.publish(new Message(channelId, bytes, binary)).whenComplete((published, failure) -> {
            if (failure == null) {
                JsonAnswer.send(response, 201, receipt(channelId, bytes.length, published));
            } else {
                failed(response, failure);
            }
        });
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

    private void stats(HttpServerResponse response, String channelId) {
        broker.stats(channelId).subscribe().with(stats -> JsonAnswer.send(response, 200, statsBody(channelId, stats)),
                failure -> failed(response, failure));
    }

    private static JsonObject statsBody(String channelId, ChannelStats stats) {
        return new JsonObject().put("channel_id", channelId).put("stat", new JsonObject().put("peers", stats.peers())
                .put("sent_messages", stats.sentMessages()).put("sent_bytes", stats.sentBytes()));
    }

    /** Never a 201 for a message that went nowhere; nothing escapes as a bare 5xx page. */
    private static void failed(HttpServerResponse response, Throwable failure) {
        if (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        if (failure instanceof BrokerUnavailableException) {
            JsonAnswer.error(response, 503, failure.getMessage());
        } else {
            LOG.error("Unexpected failure while serving a request", failure);
            JsonAnswer.error(response, 500, "Internal error");
        }
    }

    private static void methodNotAllowed(HttpServerResponse response) {
        response.putHeader(HttpHeaderNames.ALLOW, ALLOWED_METHODS);
        JsonAnswer.error(response, 405, "Method not allowed; a channel takes GET (stats) and POST");
    }

    /** The channel's name, or null for Quarkus's reserved {@code /q/} paths. */
    private static String channelOf(HttpServerRequest request) {
        String path = request.path();
        return ChannelId.isReservedPath(path) ? null : ChannelId.fromRawPath(path);
    }

    /**
     * The media type without parameters, empty when there is none. Only {@code application/octet-stream} asks for a
     * binary frame; everything else is text.
     */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    }
}
