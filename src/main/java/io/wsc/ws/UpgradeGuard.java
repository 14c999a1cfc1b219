package io.wsc.ws;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.net.impl.ConnectionBase;
import io.wsc.channel.ChannelId;
import io.wsc.channel.InvalidChannelException;
import io.wsc.lifecycle.GracefulShutdown;

/**
 * Decides whether a WebSocket upgrade may become a subscriber: the channel name must be valid and the server not
 * shutting down. An accepted upgrade carries its channel id and Netty channel to {@link ChannelSocket}.
 */
@ApplicationScoped
public class UpgradeGuard implements HttpUpgradeCheck {

    static final TypedKey<String> CHANNEL_ID = TypedKey.forString("wsc.channel-id");
    static final TypedKey<Channel> SOCKET = new TypedKey<>("wsc.socket");

    private static final Logger LOG = Logger.getLogger(UpgradeGuard.class);

    private final GracefulShutdown shutdown;

    UpgradeGuard(GracefulShutdown shutdown) {
        this.shutdown = shutdown;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String path = context.httpRequest().path();
        if (ChannelId.isReservedPath(path)) {
            return CheckResult.rejectUpgrade(404);
        }
        if (shutdown.isShuttingDown()) {
            return CheckResult.rejectUpgrade(503);
        }
        try {
            context.userData().put(CHANNEL_ID, ChannelId.fromRawPath(path));
        } catch (InvalidChannelException e) {
            LOG.debugf("Refused a WebSocket upgrade: %s", e.getMessage());
            return CheckResult.rejectUpgrade(400);
        }
        // websockets-next does not expose the socket; the Netty channel is what lets fan-out write one shared frame.
        context.userData().put(SOCKET, ((ConnectionBase) context.httpRequest().connection()).channel());
        return CheckResult.permitUpgrade();
    }
}
