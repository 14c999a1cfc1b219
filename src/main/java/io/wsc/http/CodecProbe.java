package io.wsc.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.http.impl.Http1xOrH2CHandler;

/**
 * Waits, in a connection whose HTTP codec Vert.x builds only once its first bytes arrive (h2c on), for that codec:
 * right behind the h2c detector, which adds the codec at the end of the pipeline, behind this one, it sees the
 * detected bytes before the codec does, and tells {@link HttpDeadlines} which protocol the connection speaks, so that
 * the watch is in place before the first request is decoded.
 */
final class CodecProbe extends ChannelInboundHandlerAdapter {

    /** The name Vert.x gives its HTTP/1 response encoder. */
    static final String HTTP1_ENCODER = "httpEncoder";
    private static final String NAME = "wscCodecProbe";

    private final HttpDeadlines deadlines;

    private CodecProbe(HttpDeadlines deadlines) {
        this.deadlines = deadlines;
    }

    /** Puts a probe behind the handler that will build the codec; false when there is none this knows. */
    static boolean install(ChannelPipeline pipeline, HttpDeadlines deadlines) {
        ChannelHandlerContext builder = pipeline.context(Http1xOrH2CHandler.class);
        if (builder == null) {
            return false;
        }
        pipeline.addAfter(builder.name(), NAME, new CodecProbe(deadlines));
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ChannelPipeline pipeline = ctx.pipeline();
        Http2ConnectionHandler http2 = pipeline.get(Http2ConnectionHandler.class);
        boolean known = true;
        if (pipeline.get(HTTP1_ENCODER) != null) {
            deadlines.watchHttp1();
        } else if (http2 != null) {
            deadlines.watchHttp2(http2.connection());
        } else {
            known = false; // not decided yet
        }
        ctx.fireChannelRead(msg);
        if (known && pipeline.get(NAME) != null) {
            pipeline.remove(this);
        }
    }
}
