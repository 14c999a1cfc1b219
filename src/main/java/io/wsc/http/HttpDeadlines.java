package io.wsc.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import io.wsc.metrics.WscMetrics;

/**
 * The clock of one HTTP connection, first in its pipeline so that it sees every byte as it arrives. A request's head
 * must be complete within the header timeout of its first byte (or of the connection's opening), however slowly it
 * trickles in; its body may pause for at most the body timeout between reads; a connection between requests may stay
 * idle for the keep-alive timeout. {@link HttpExchangeWatch}, behind Vert.x's HTTP codec, says where each request and
 * response begins and ends; once a connection is upgraded, or becomes an event stream, both leave the pipeline.
 * <p>
 * Where Vert.x builds the codec only later (HTTP/2 cleartext on: once the first bytes say which protocol), the header
 * deadline runs from the opening meanwhile, and a {@link CodecProbe} puts the watch in place as
 * soon as the codec is there. HTTP/2 has no per-request clock here: {@link Http2StreamWatch} says whether any stream
 * is open, and a connection without one must open one within the header timeout of its first byte, or may stay idle
 * for the keep-alive timeout.
 * <p>
 * One timer per connection: a read only moves a deadline, and the timer re-arms itself when it fires early (the way
 * Netty's {@code IdleStateHandler} does).
 */
public final class HttpDeadlines extends ChannelInboundHandlerAdapter {

    static final String NAME = "wscHttpDeadlines";

    private static final Logger LOG = Logger.getLogger(HttpDeadlines.class);
    private static final byte[] BODY = "{\"status\":\"The request did not arrive in time\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final ByteBuf REQUEST_TIMEOUT = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(
            ("HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\ncontent-length: " + BODY.length
                    + "\r\nconnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII), BODY).asReadOnly());

    private enum Phase {
        /** Reading a request's line and headers. */
        HEAD("header"),
        /** Reading a request's body. */
        BODY("body"),
        /** The request is read; the server has not finished its answer yet. No deadline. */
        BUSY(null),
        /** Between requests. */
        IDLE("keep_alive");

        final String timeout;

        Phase(String timeout) {
            this.timeout = timeout;
        }
    }

    private static final AttributeKey<Boolean> UPGRADED_TO_H2C = AttributeKey.valueOf("wscUpgradedToH2c");

    private final HttpTimeouts timeouts;
    private final WscMetrics metrics;
    /** The connection speaks HTTP/2: a deadline that runs out closes it (there is no HTTP/1.1 request to answer). */
    private boolean http2;
    /** An HTTP/1.1 connection's 101 switched it to h2c: Vert.x then takes every other handler out, this one too. */
    private boolean upgradingToHttp2;
    private ChannelHandlerContext context;
    private Phase phase = Phase.HEAD;
    /** When the phase began; while reading a body, the last read. */
    private long since = System.nanoTime();
    private boolean requestRead;
    private boolean responseStarted;
    private boolean responseEnded;
    private ScheduledFuture<?> timer;
    private long timerDue;

    HttpDeadlines(HttpTimeouts timeouts, WscMetrics metrics) {
        this.timeouts = timeouts;
        this.metrics = metrics;
    }

    /** Takes both handlers out of a connection that stopped being plain HTTP; call on its event loop. */
    public static void removeFrom(ChannelPipeline pipeline) {
        if (pipeline.get(NAME) != null) {
            pipeline.remove(NAME);
        }
        if (pipeline.get(HttpExchangeWatch.NAME) != null) {
            pipeline.remove(HttpExchangeWatch.NAME);
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        context = ctx;
        // Vert.x built the HTTP/1 pipeline when the connection registered, just before this; with h2c on it builds the
        // codec later. Anything else (TLS on this port, before its handshake; the PROXY protocol's decoder) is left
        // to Vert.x's own idle timeout.
        if (ctx.pipeline().get(CodecProbe.HTTP1_ENCODER) != null) {
            watchHttp1();
            arm();
        } else if (CodecProbe.install(ctx.pipeline(), this)) {
            arm();
        } else {
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelActive();
    }

    /** Vert.x's HTTP/1 codec is in the pipeline. */
    void watchHttp1() {
        context.pipeline().addAfter(CodecProbe.HTTP1_ENCODER, HttpExchangeWatch.NAME, new HttpExchangeWatch(this));
    }

    /** The connection speaks HTTP/2 from now on. */
    void watchHttp2(Http2Connection connection) {
        http2 = true;
        Http2StreamWatch.install(connection, this);
        streamsChanged(connection.numActiveStreams());
    }

    /** An HTTP/2 connection's count of open streams changed; none: it is idle. */
    void streamsChanged(int openStreams) {
        if (openStreams > 0) {
            enter(Phase.BUSY);
        } else if (phase != Phase.IDLE && phase != Phase.HEAD) {
            enter(Phase.IDLE);
        }
        arm();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase == Phase.IDLE) {
            enter(Phase.HEAD); // the first byte of the next request
        } else if (phase == Phase.BODY) {
            since = System.nanoTime();
        }
        ctx.fireChannelRead(msg);
        arm();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
        if (upgradingToHttp2 && ctx.channel().isActive()) {
            // Vert.x ends an h2c upgrade by taking every handler but its HTTP/2 one out: watch on with a new clock.
            Channel channel = ctx.channel();
            channel.eventLoop().execute(() -> Http2StreamWatch.resume(channel, timeouts, metrics));
        }
    }

    void headReceived() {
        requestRead = false;
        responseStarted = false;
        responseEnded = false;
        enter(Phase.BODY);
    }

    void requestReceived() {
        requestRead = true;
        enter(responseEnded ? Phase.IDLE : Phase.BUSY);
    }

    void responseStarted() {
        responseStarted = true;
    }

    void responseEnded() {
        responseEnded = true;
        if (requestRead) {
            enter(Phase.IDLE);
            arm();
        }
    }

    void upgraded() {
        removeFrom(context.pipeline());
    }

    /** True for a connection that a 101 switched from HTTP/1.1 to h2c. */
    public static boolean upgradedToH2c(Channel channel) {
        return channel.hasAttr(UPGRADED_TO_H2C);
    }

    /** A 101 to h2c went out; Vert.x is switching the pipeline to HTTP/2. */
    void upgradingToHttp2() {
        upgradingToHttp2 = true;
        context.channel().attr(UPGRADED_TO_H2C).set(Boolean.TRUE);
        if (context.pipeline().get(HttpExchangeWatch.NAME) != null) {
            context.pipeline().remove(HttpExchangeWatch.NAME);
        }
    }

    private void enter(Phase next) {
        phase = next;
        since = System.nanoTime();
    }

    private long deadline() {
        return switch (phase) {
            case HEAD -> since + timeouts.headerNanos();
            case BODY -> since + timeouts.bodyNanos();
            case IDLE -> since + timeouts.keepAliveNanos();
            case BUSY -> Long.MAX_VALUE;
        };
    }

    /** Makes sure the timer fires no later than the current deadline (early is fine: it re-arms). */
    private void arm() {
        if (phase == Phase.BUSY) {
            cancel();
            return;
        }
        long due = deadline();
        if (timer != null && timerDue - due <= 0) {
            return;
        }
        cancel();
        timerDue = due;
        timer = context.executor().schedule(this::check, Math.max(0, due - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void check() {
        timer = null;
        if (phase == Phase.BUSY || !context.channel().isActive()) {
            return;
        }
        if (deadline() - System.nanoTime() > 0) {
            arm();
            return;
        }
        metrics.httpTimedOut(phase.timeout);
        LOG.debugf("Closed %s: %s timeout", context.channel().remoteAddress(), phase.timeout);
        if (phase == Phase.IDLE || responseStarted || http2 || !watchingHttp1()) {
            context.close();
        } else {
            // Written here, at the head of the pipeline, as bytes: Vert.x's codec is in the middle of a request.
            context.writeAndFlush(REQUEST_TIMEOUT.duplicate()).addListener(ChannelFutureListener.CLOSE);
        }
        context.pipeline().remove(this);
    }

    /** The HTTP/1 watch is in place: a 408 can be written (not before the codec). */
    private boolean watchingHttp1() {
        return context.pipeline().get(HttpExchangeWatch.NAME) != null;
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
