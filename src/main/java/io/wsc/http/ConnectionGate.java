package io.wsc.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.wsc.metrics.WscMetrics;

/**
 * Sits in the listening socket's pipeline, where Netty hands over each accepted connection before Vert.x sets it up
 * (the place of {@code ServerBootstrap.handler}): refuses a connection past {@code wsc.max-connections-per-address} by
 * closing it at once, and gives every other one its {@link HttpDeadlines}, first in its pipeline.
 */
@Sharable
final class ConnectionGate extends ChannelInboundHandlerAdapter {

    static final String NAME = "wscConnectionGate";

    private static final Logger LOG = Logger.getLogger(ConnectionGate.class);

    private final HttpTimeouts timeouts;
    private final AddressCounts perAddress;
    private final WscMetrics metrics;

    /** {@code perAddress} null: no limit. */
    ConnectionGate(HttpTimeouts timeouts, AddressCounts perAddress, WscMetrics metrics) {
        this.timeouts = timeouts;
        this.perAddress = perAddress;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel connection = (Channel) msg;
        if (perAddress != null && connection.remoteAddress() instanceof InetSocketAddress remote) {
            InetAddress address = remote.getAddress();
            AddressCounts.Verdict verdict = perAddress.acquire(address);
            if (verdict != AddressCounts.Verdict.ACCEPTED) {
                metrics.connectionRefused("per_address");
                if (verdict == AddressCounts.Verdict.REFUSED_FIRST) {
                    LOG.infof("Refusing new connections from %s: it holds wsc.max-connections-per-address",
                            address.getHostAddress());
                }
                // Not registered yet: what Netty's own acceptor does with a connection it cannot take.
                connection.unsafe().closeForcibly();
                return;
            }
            connection.closeFuture().addListener(closed -> perAddress.release(address));
        }
        connection.pipeline().addLast(HttpDeadlines.NAME, new HttpDeadlines(timeouts, metrics));
        ctx.fireChannelRead(connection);
    }
}
