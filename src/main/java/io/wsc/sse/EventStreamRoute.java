package io.wsc.sse;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.wsc.api.AcceptHeader;
import io.wsc.api.JsonAnswer;
import io.wsc.channel.ChannelId;
import io.wsc.channel.FrameForm;
import io.wsc.channel.MessageId;
import io.wsc.channel.SseEvents;
import io.wsc.channel.Subscriber;
import io.wsc.config.WscConfig;
import io.wsc.ws.SubscriberAdmission;
import io.wsc.ws.SubscriberAdmission.Refusal;
import io.wsc.ws.SubscriberAdmission.Verdict;

/**
 * A subscriber that takes its channel as Server-Sent Events: {@code GET /<channel>} with
 * {@code Accept: text/event-stream} and no {@code access-key} (with the key, a GET is a stats request). It passes the
 * same checks as a WebSocket upgrade and joins its channel before its response head goes out; resuming from
 * {@code Last-Event-ID} (or {@code ?lastEventId=}, for a first connection) puts what it missed in front. Once the head
 * is written, fan-out writes its events straight to the connection (see {@link EventStream}).
 */
@ApplicationScoped
public class EventStreamRoute {

    private static final Logger LOG = Logger.getLogger(EventStreamRoute.class);
    private static final String ACCESS_KEY_HEADER = "access-key";
    /** What a browser's {@code EventSource} sends on a reconnection: the id of the last event it got. */
    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private final SubscriberAdmission admission;
    private final EventStream stream;

    EventStreamRoute(SubscriberAdmission admission, EventStreamHeartbeat heartbeat, WscConfig config) {
        this.admission = admission;
        this.stream = new EventStream(heartbeat, config.sse().retry());
    }

    void register(@Observes Router router) {
        // Before the live page (a request could list both types) and before the access key is asked for.
        router.get().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(this::serve);
    }

    private void serve(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (!wantsStream(request)) {
            context.next();
            return;
        }
        if (request.version() != HttpVersion.HTTP_1_1) {
            // Fan-out writes chunks of an HTTP/1.1 response; HTTP/2 frames (and HTTP/1.0, which has no chunks) differ.
            JsonAnswer.error(request.response(), 505, "Event streams are served over HTTP/1.1");
            return;
        }
        Verdict verdict = admission.check(request);
        if (verdict.refusal() != null) {
            refuse(request, verdict.refusal());
            return;
        }
        long since;
        try {
            since = lastEventId(request);
        } catch (IllegalArgumentException e) {
            refuse(request, admission.count(Refusal.INVALID_SINCE));
            return;
        }
        Channel socket = ((ConnectionBase) request.connection()).channel();
        Subscriber subscriber = admission.join(verdict.channelId(), socket, FrameForm.SSE);
        admission.ready(subscriber, since).subscribe().with(
                // Back on the connection's loop, so the head is written before the held events and in order with them.
                ready -> socket.eventLoop().execute(() -> stream.open(request, subscriber)),
                failure -> socket.eventLoop().execute(() -> {
                    LOG.debugf("Refused an event stream: broker unavailable (%s)", failure.getMessage());
                    refuse(request, Refusal.BROKER_UNAVAILABLE);
                }));
    }

    /** A GET that asks for events, without the key (that is stats) and not a WebSocket upgrade. */
    private static boolean wantsStream(HttpServerRequest request) {
        return request.getHeader(ACCESS_KEY_HEADER) == null && request.getHeader(HttpHeaderNames.UPGRADE) == null
                && !ChannelId.isReservedPath(request.path())
                && AcceptHeader.lists(request.getHeader(HttpHeaderNames.ACCEPT), SseEvents.MEDIA_TYPE);
    }

    /** The id to resume after: the header a reconnecting {@code EventSource} sends wins over the query parameter. */
    private static long lastEventId(HttpServerRequest request) {
        String header = request.getHeader(LAST_EVENT_ID);
        return MessageId.parse(header != null ? header : request.getParam("lastEventId"));
    }

    private static void refuse(HttpServerRequest request, Refusal refusal) {
        JsonAnswer.error(request.response(), refusal.status(), refusal.sentence());
    }
}
