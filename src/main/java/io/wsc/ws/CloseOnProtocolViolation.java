package io.wsc.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;

/**
 * Answers a client frame the decoder refuses (over 64 KiB: 1009; malformed: 1002) with a close frame carrying that
 * code, then closes. Vert.x configures Netty's decoder not to do so and drops the connection bare, which a browser
 * reports only as 1006. Sits after the WebSocket encoder (which encodes its close frame) and before Vert.x.
 */
@Sharable
final class CloseOnProtocolViolation extends ChannelInboundHandlerAdapter {

    private static final CloseOnProtocolViolation INSTANCE = new CloseOnProtocolViolation();

    private CloseOnProtocolViolation() {
    }

    /**
     * Adds the handler to an open WebSocket's pipeline, right after Netty's frame encoder, and before it the checks
     * Vert.x leaves out: text must be UTF-8 (else 1007), fragments must not add up past the message limit (1009).
     */
    static void install(Channel socket, long maxMessageBytes) {
        socket.pipeline().addAfter("wsencoder", "wsc-close-on-protocol-violation", INSTANCE);
        socket.pipeline().addAfter("wsdecoder", "wsc-utf8", new Utf8FrameValidator(false));
        socket.pipeline().addAfter("wsc-utf8", "wsc-fragmented-message-limit", new FragmentedMessageLimit(maxMessageBytes));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException violation && ctx.channel().isActive()) {
            // ctx.close() travels towards the socket only, past Vert.x's handler and its 10 s close handshake.
            ctx.writeAndFlush(new CloseWebSocketFrame(violation.closeStatus())).addListener(written -> ctx.close());
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
