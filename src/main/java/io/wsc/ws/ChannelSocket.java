package io.wsc.ws;

import java.io.IOException;

import org.jboss.logging.Logger;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;
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

    /** Browsers answer the server's pings by themselves; a peer that stops answering is dropped by the hub. */
    @OnPongMessage
    @NonBlocking
    void onPong(WebSocketConnection connection, Buffer data) {
        Subscriber subscriber = connection.userData().get(SUBSCRIBER);
        if (subscriber != null) {
            subscriber.seen();
        }
    }

    /**
     * An oversized or malformed client frame: Vert.x has already dropped the connection (without a close frame, so the
     * browser sees 1006), and {@link #onClose} follows. Expected client behaviour, not a server error.
     */
    @OnError
    @NonBlocking
    void onError(WebSocketConnection connection, CorruptedWebSocketFrameException failure) {
        LOG.debugf("Subscriber %s dropped: %s", connection.id(), failure.getMessage());
    }

    /** A peer that vanished (connection reset, broken pipe): an everyday event for browsers, not a server error. */
    @OnError
    @NonBlocking
    void onTransportError(WebSocketConnection connection, IOException failure) {
        LOG.debugf("Subscriber %s lost: %s", connection.id(), failure.getMessage());
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
