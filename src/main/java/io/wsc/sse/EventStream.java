package io.wsc.sse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.wsc.channel.SseEvents;
import io.wsc.channel.Subscriber;
import io.wsc.ws.HttpIdleTimeout;

/**
 * Starts a joined subscriber's event stream: a chunked 200 whose head (and the {@code retry:} field) Vert.x writes;
 * after that, fan-out writes each event as a plain buffer straight to the connection, and the HTTP encoder Vert.x
 * installed (Netty's {@code HttpResponseEncoder}) sends each as one chunk of the still open response. Over HTTP/2 each
 * event is a DATA frame of the request's stream instead ({@link Http2StreamOutput}). The stream lasts until the
 * connection (or the HTTP/2 stream) closes or the server ends it on shutdown.
 */
final class EventStream {

    /** The name Vert.x gives the compressor it installs when {@code quarkus.http.enable-compression} is on. */
    private static final String VERTX_COMPRESSOR = "deflater";

    private final EventStreamHeartbeat heartbeat;
    private final Buffer start;

    EventStream(EventStreamHeartbeat heartbeat, Duration retry) {
        this.heartbeat = heartbeat;
        // retry: how soon a browser's EventSource reconnects after the stream breaks (its own default is about 3 s).
        this.start = Buffer.buffer(("retry: " + retry.toMillis() + "\n\n").getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * On the connection's event loop, once the subscriber is joined and any catch-up is held for it; {@code http2} is
     * its stream's output over HTTP/2, null over HTTP/1.1.
     */
    void open(HttpServerRequest request, Subscriber subscriber, Http2StreamOutput http2) {
        HttpServerResponse response = request.response();
        if (response.closed()) {
            return; // the client left meanwhile, and its subscriber with it
        }
        Channel socket = subscriber.socket();
        if (http2 == null) {
            HttpIdleTimeout.drop(socket);
            // The compressor only encodes HTTP content objects: it would announce gzip, then pass our buffers as is.
            if (socket.pipeline().get(VERTX_COMPRESSOR) != null) {
                socket.pipeline().remove(VERTX_COMPRESSOR);
            }
        } else {
            // The connection's other requests keep Vert.x's idle timeout (the heartbeats keep it from running out),
            // and one shared frame goes to every stream: HTTP/2 compression, which Vert.x does per stream, stays off.
            response.putHeader(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.IDENTITY);
        }
        response.setStatusCode(200).setChunked(true)
                .putHeader(HttpHeaderNames.CONTENT_TYPE, SseEvents.MEDIA_TYPE)
                .putHeader(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                // nginx would otherwise buffer the stream
                .putHeader("X-Accel-Buffering", "no");
        String origin = request.getHeader(HttpHeaderNames.ORIGIN);
        if (origin != null) {
            // The origin passed the same check as a WebSocket's (wsc.allowed-origins); an EventSource on another
            // origin's page needs it said back (CORS) to read the stream.
            response.putHeader(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin).putHeader(HttpHeaderNames.VARY,
                    "Origin");
        }
        response.write(start);
        // A stream is told of lost messages by a gap event, not a close: the farewell is the server's shutdown, the
        // backend's disconnect or the token's expiry, and the last two say so in a last event.
        subscriber.opened(farewell -> {
            ByteBuf last = farewell.tellsStreams() ? SseEvents.farewell(farewell) : null;
            if (http2 == null) {
                end(socket, last);
            } else {
                http2.end(last, !farewell.tellsStreams());
            }
        });
        heartbeat.add(subscriber);
    }

    /**
     * Ends the response properly (its last, empty chunk, after {@code last} if there is one) behind whatever is
     * queued, then closes the connection: a browser's EventSource reconnects, to another node when this one is
     * shutting down.
     */
    private static void end(Channel socket, ByteBuf last) {
        if (last != null) {
            socket.write(last);
        }
        socket.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }
}
