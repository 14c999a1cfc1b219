package io.wsc.sse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Stream;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import io.wsc.channel.SubscriberOutput;
import io.wsc.http.HttpDeadlines;

/**
 * An event stream on one stream of an HTTP/2 connection, which other streams and requests share. Frames go as DATA
 * frames through the connection's HTTP/2 encoder (the one Vert.x installed, behind the response head Vert.x wrote),
 * so the peer's flow control applies: what the peer's windows do not let out yet waits in Netty's flow controller.
 * The socket's water mark cannot bound that, since it is the whole connection's, so each write counts its bytes here
 * until they have left for the socket; past {@code wsc.max-pending-bytes} the stream is reset (the others live on).
 */
final class Http2StreamOutput implements SubscriberOutput {

    private final HttpServerRequest request;
    private final RoutingContext routing;
    private final Channel socket;
    private final Http2ConnectionHandler handler;
    private final ChannelHandlerContext context;
    private final Http2ConnectionEncoder encoder;
    private final Http2Stream stream;
    private final int maxPendingBytes;
    /** Bytes written and not yet sent to the socket (read and written on the loop only). */
    private long pendingBytes;

    /** On the connection's event loop, while the request is being handled. */
    Http2StreamOutput(RoutingContext routing, int maxPendingBytes) {
        this.routing = routing;
        this.request = routing.request();
        this.socket = ((ConnectionBase) request.connection()).channel();
        this.context = socket.pipeline().context(Http2ConnectionHandler.class);
        this.handler = (Http2ConnectionHandler) context.handler();
        this.encoder = handler.encoder();
        this.stream = handler.connection().stream(request.streamId());
        this.maxPendingBytes = maxPendingBytes;
    }

    /**
     * True for an HTTP/2 connection that began as HTTP/1.1 with {@code Upgrade: h2c}: events written to its streams
     * this way did not reach the client in the tests (known issue), so event streams are refused there.
     */
    static boolean upgradedFromHttp1(HttpServerRequest request) {
        return HttpDeadlines.upgradedToH2c(((ConnectionBase) request.connection()).channel());
    }

    @Override
    public Channel socket() {
        return socket;
    }

    @Override
    public boolean isOpen() {
        return stream.state().localSideOpen() && socket.isActive();
    }

    @Override
    public boolean hasRoom() {
        return pendingBytes < maxPendingBytes;
    }

    @Override
    public long room() {
        return maxPendingBytes - pendingBytes;
    }

    @Override
    public void write(ByteBuf frame) {
        int size = frame.readableBytes();
        pendingBytes += size;
        ChannelPromise sent = context.newPromise();
        // Done once written to the socket, or failed (the stream reset, the connection closed) with the frame released.
        sent.addListener(done -> pendingBytes -= size);
        encoder.writeData(context, stream.id(), frame, 0, false, sent);
    }

    /** From the pipeline's tail, so that the HTTP/2 handler first writes what flow control lets out. */
    @Override
    public void flush() {
        socket.flush();
    }

    /** Resets the stream; its frames still waiting for flow control are dropped and released. */
    @Override
    public void closeNow() {
        request.response().reset(Http2Error.CANCEL.code());
    }

    /**
     * Vert.x-web's end handlers run once when the response ends, fails (the peer reset the stream) or its connection
     * closes; a stream that is somehow still open then is reset, so that nothing stays half served. Called on the loop,
     * as those handlers run, so a response that ended or closed already will not run them again.
     */
    @Override
    public void whenClosed(Runnable action) {
        if (request.response().ended() || request.response().closed()) {
            action.run();
            return;
        }
        routing.addEndHandler(ended -> {
            if (isOpen()) {
                closeNow();
            }
            action.run();
        });
    }

    /**
     * Ends the stream behind what is queued for it (and {@code last}, if not null); with {@code goAway}, as the server
     * is shutting down, also tells the peer (GOAWAY) to open its next streams on a new connection, which a load
     * balancer can send to another node.
     */
    void end(ByteBuf last, boolean goAway) {
        if (last != null) {
            write(last);
        }
        request.response().end();
        if (!goAway) {
            return;
        }
        socket.eventLoop().execute(() -> {
            if (!handler.connection().goAwaySent()) {
                request.connection().goAway(Http2Error.NO_ERROR.code());
            }
        });
    }
}
