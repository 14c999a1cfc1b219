package io.wsc.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;

/**
 * Behind Vert.x's HTTP codec, tells {@link HttpDeadlines} where requests and responses begin and end, from the
 * decoded messages: a request's head, its last content, a final response (not {@code 100 Continue}) and its end, or a
 * {@code 101} that turns the connection into a WebSocket (or, with h2c on, into HTTP/2).
 */
final class HttpExchangeWatch extends ChannelDuplexHandler {

    static final String NAME = "wscHttpExchangeWatch";

    private static final AsciiString HTTP2_CLEARTEXT = AsciiString.cached("h2c");

    private final HttpDeadlines deadlines;
    private boolean finalResponse;

    HttpExchangeWatch(HttpDeadlines deadlines) {
        this.deadlines = deadlines;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Told before passing it on: Vert.x may answer while handling it.
        if (msg instanceof HttpRequest) {
            deadlines.headReceived();
        }
        if (msg instanceof LastHttpContent) {
            deadlines.requestReceived();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            int status = response.status().code();
            if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                ctx.write(msg, promise);
                if (HTTP2_CLEARTEXT.contentEqualsIgnoreCase(response.headers().get(HttpHeaderNames.UPGRADE, ""))) {
                    deadlines.upgradingToHttp2();
                } else {
                    deadlines.upgraded();
                }
                return;
            }
            finalResponse = status >= 200;
            if (finalResponse) {
                deadlines.responseStarted();
            }
        }
        boolean ends = finalResponse && msg instanceof LastHttpContent;
        ctx.write(msg, promise);
        if (ends) {
            finalResponse = false;
            deadlines.responseEnded();
        }
    }
}
