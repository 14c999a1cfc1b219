package io.wsc.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Refuses a message whose fragments add up past the message limit, as the decoder refuses one frame that large, so it
 * is closed with 1009. Vert.x would otherwise fail it while aggregating, with 1011 and an error in the log.
 */
final class FragmentedMessageLimit extends ChannelInboundHandlerAdapter {

    private final long maxMessageBytes;
    private long messageBytes;

    FragmentedMessageLimit(long maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame frame && isDataFrame(frame)) {
            messageBytes = (frame instanceof ContinuationWebSocketFrame ? messageBytes : 0)
                    + frame.content().readableBytes();
            if (messageBytes > maxMessageBytes) {
                ReferenceCountUtil.release(frame);
                ctx.fireExceptionCaught(new CorruptedWebSocketFrameException(WebSocketCloseStatus.MESSAGE_TOO_BIG,
                        "Message over " + maxMessageBytes + " bytes"));
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Control frames may come between fragments and are no part of the message. */
    private static boolean isDataFrame(WebSocketFrame frame) {
        return frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                || frame instanceof ContinuationWebSocketFrame;
    }
}
