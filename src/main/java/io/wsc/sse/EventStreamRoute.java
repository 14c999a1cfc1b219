package io.wsc.sse;

import java.util.List;
import java.util.Map;

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
import io.wsc.channel.StreamPositions;
import io.wsc.channel.Subscriber;
import io.wsc.config.WscConfig;
import io.wsc.ws.RequestedChannels;
import io.wsc.ws.ResumePoints;
import io.wsc.ws.SubscriberAdmission;
import io.wsc.ws.SubscriberAdmission.Refusal;
import io.wsc.ws.SubscriberAdmission.Verdict;

/**
 * A subscriber that takes its channel as Server-Sent Events: {@code GET /<channel>} with
 * {@code Accept: text/event-stream} and no {@code access-key} (with the key, a GET is a stats request). It passes the
 * same checks as a WebSocket upgrade and joins its channel before its response head goes out; resuming from
 * {@code Last-Event-ID} (or {@code ?lastEventId=}, for a first connection) puts what it missed in front. Once the head
 * is written, fan-out writes its events straight to the connection, or over HTTP/2 to its stream (see
 * {@link EventStream}, {@link Http2StreamOutput}).
 */
@ApplicationScoped
public class EventStreamRoute {

    private static final Logger LOG = Logger.getLogger(EventStreamRoute.class);
    private static final String ACCESS_KEY_HEADER = "access-key";
    /** What a browser's {@code EventSource} sends on a reconnection: the id of the last event it got. */
    private static final String LAST_EVENT_ID = "Last-Event-ID";
    /** The same for a first connection, in the query string. */
    private static final String LAST_EVENT_ID_PARAMETER = "lastEventId";

    private final SubscriberAdmission admission;
    private final EventStream stream;
    private final int maxPendingBytes;

    EventStreamRoute(SubscriberAdmission admission, EventStreamHeartbeat heartbeat, WscConfig config) {
        this.admission = admission;
        this.stream = new EventStream(heartbeat, config.sse().retry());
        this.maxPendingBytes = config.maxPendingBytes();
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
        if (request.version() == HttpVersion.HTTP_1_0) {
            // Fan-out writes chunks of an HTTP/1.1 response (or DATA frames of an HTTP/2 stream); HTTP/1.0 has neither.
            JsonAnswer.error(request.response(), 505, "Event streams are served over HTTP/1.1 and HTTP/2");
            return;
        }
        if (request.version() == HttpVersion.HTTP_2 && Http2StreamOutput.upgradedFromHttp1(request)) {
            JsonAnswer.error(request.response(), 505,
                    "Event streams over HTTP/2 cleartext need prior knowledge, not Upgrade: h2c");
            return;
        }
        Verdict verdict = admission.check(request, FrameForm.SSE);
        if (verdict.refusal() != null) {
            refuse(request, verdict.refusal());
            return;
        }
        Map<String, Long> since;
        try {
            since = resumePoints(request, verdict.channels());
        } catch (IllegalArgumentException e) {
            refuse(request, admission.count(Refusal.INVALID_SINCE));
            return;
        }
        Http2StreamOutput http2 = request.version() == HttpVersion.HTTP_2
                ? new Http2StreamOutput(context, maxPendingBytes)
                : null;
        Channel socket = ((ConnectionBase) request.connection()).channel();
        admission.authorize(request, verdict.channels(), "event-stream", socket.eventLoop()).subscribe().with(
                refusal -> {
                    if (refusal != null) {
                        refuse(request, refusal);
                    } else {
                        subscribe(request, socket, http2, verdict, since);
                    }
                });
    }

    /** Joins the stream's subscribers now; its head goes out once their channels are delivered here. */
    private void subscribe(HttpServerRequest request, Channel socket, Http2StreamOutput http2, Verdict verdict,
            Map<String, Long> since) {
        List<Subscriber> subscribers = http2 != null ? admission.join(verdict, http2, FrameForm.SSE)
                : admission.join(verdict, socket, FrameForm.SSE);
        admission.ready(verdict, subscribers, since).subscribe().with(
                // Back on the connection's loop, so the head is written before the held events and in order with them.
                ready -> socket.eventLoop().execute(() -> stream.open(request, subscribers.get(0), http2)),
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

    /**
     * Where the stream resumes. One channel: after the id a reconnecting {@code EventSource} sends (the header wins
     * over the query parameter). Several: after the positions a reconnecting {@code EventSource} sends, one per channel
     * ({@link StreamPositions}), or else {@code since} parameters, as on a WebSocket; {@code ?lastEventId=} is refused.
     */
    private static Map<String, Long> resumePoints(HttpServerRequest request, RequestedChannels channels) {
        String header = request.getHeader(LAST_EVENT_ID);
        if (channels.multiplexed()) {
            if (request.getParam(LAST_EVENT_ID_PARAMETER) != null) {
                throw new IllegalArgumentException("A multiplexed stream resumes with since=<channel>:<id>");
            }
            return header != null ? StreamPositions.parse(header, channels.ids())
                    : ResumePoints.parse(request.params().getAll(ResumePoints.PARAMETER), channels);
        }
        long id = MessageId.parse(header != null ? header : request.getParam(LAST_EVENT_ID_PARAMETER));
        return id == MessageId.NONE ? Map.of() : Map.of(channels.first(), id);
    }

    private static void refuse(HttpServerRequest request, Refusal refusal) {
        JsonAnswer.error(request.response(), refusal.status(), refusal.sentence());
    }
}
