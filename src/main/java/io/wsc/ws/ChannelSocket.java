package io.wsc.ws;

import org.jboss.logging.Logger;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.Subscriber;
import io.wsc.config.WscConfig;

/**
 * A browser's subscription: {@code ws://host/<channel>}. Opening joins the channel, closing leaves it. Frames the
 * browser sends are ignored (no handler is declared), as in the original wsc.
 */
@WebSocket(path = "/*")
public class ChannelSocket {

    static final CloseReason SHUTTING_DOWN = new CloseReason(1001, "server shutting down");

    private static final Logger LOG = Logger.getLogger(ChannelSocket.class);
    private static final TypedKey<Subscriber> SUBSCRIBER = new TypedKey<>("wsc.subscriber");

    private final ChannelHub hub;
    private final WscConfig config;

    ChannelSocket(ChannelHub hub, WscConfig config) {
        this.hub = hub;
        this.config = config;
    }

    @OnOpen
    @NonBlocking
    void onOpen(WebSocketConnection connection) {
        Subscriber subscriber = new Subscriber(connection.userData().get(UpgradeGuard.CHANNEL_ID),
                connection.userData().get(UpgradeGuard.SOCKET), config.maxPendingBytes(),
                () -> connection.close(SHUTTING_DOWN).subscribe().with(ok -> {
                }, failure -> LOG.debugf("Close frame not sent: %s", failure.getMessage())));
        connection.userData().put(SUBSCRIBER, subscriber);
        hub.join(subscriber);
    }

    /** Oversized or malformed client frames: the stack has already closed the socket (1009 / 1002); not our error. */
    @OnError
    @NonBlocking
    void onError(WebSocketConnection connection, Throwable failure) {
        LOG.debugf("Subscriber %s of %s failed: %s", connection.id(), connection.handshakeRequest().path(),
                failure.getMessage());
    }

    @OnClose
    @NonBlocking
    void onClose(WebSocketConnection connection) {
        Subscriber subscriber = connection.userData().get(SUBSCRIBER);
        if (subscriber != null) {
            hub.leave(subscriber);
        }
    }
}
