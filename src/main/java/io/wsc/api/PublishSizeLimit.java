package io.wsc.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wsc.config.WscConfig;

/**
 * Refuses a publish whose declared Content-Length is over {@code wsc.max-message-bytes} before its body is read, with
 * the JSON 413 (Quarkus's own limit, just after this route, would answer with an empty body). Bodies sent chunked,
 * without a length, are stopped by {@link PublishBody} while they stream in.
 */
@ApplicationScoped
public class PublishSizeLimit {

    private final long maxMessageBytes;
    private final String body;

    PublishSizeLimit(WscConfig config) {
        this.maxMessageBytes = config.maxMessageBytes();
        this.body = JsonAnswer.errorBody(ChannelResource.tooLargeSentence(config.maxMessageBytes()));
    }

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length != null && isOver(length)) {
            // The unread body stays on the wire, so this connection cannot carry another request.
            context.response().putHeader(HttpHeaderNames.CONNECTION, "close");
            JsonAnswer.send(context.response(), 413, body);
        } else {
            context.next();
        }
    }

    private boolean isOver(String length) {
        try {
            return Long.parseLong(length.trim()) > maxMessageBytes;
        } catch (NumberFormatException e) {
            return false; // Vert.x rejects a malformed length itself
        }
    }
}
