package io.wsc.ws;

import java.io.IOException;

import org.jboss.logging.Logger;

import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.buffer.Buffer;

/**
 * A browser's subscription: {@code ws://host/<channel>}. The subscriber joins its channel during the upgrade
 * ({@link UpgradeGuard}) and leaves it when its connection closes. Frames the browser sends are ignored (no handler is
 * declared), as in the original wsc.
 */
@WebSocket(path = "/*")
public class ChannelSocket {

    static final CloseReason SHUTTING_DOWN = new CloseReason(1001, "server shutting down");

    private static final Logger LOG = Logger.getLogger(ChannelSocket.class);

    /** The subscriber joined its channel in {@link UpgradeGuard}; now it can also be closed with a close frame. */
    @OnOpen
    @NonBlocking
    void onOpen(WebSocketConnection connection) {
        connection.userData().get(UpgradeGuard.SUBSCRIBER).opened(
                () -> connection.close(SHUTTING_DOWN).subscribe().with(ok -> {
                }, failure -> LOG.debugf("Close frame not sent: %s", failure.getMessage())));
    }

    /** Browsers answer the server's pings by themselves; a peer that stops answering is dropped by the hub. */
    @OnPongMessage
    @NonBlocking
    void onPong(WebSocketConnection connection, Buffer data) {
        connection.userData().get(UpgradeGuard.SUBSCRIBER).seen();
    }

    /**
     * An oversized or malformed client frame: Vert.x has already dropped the connection (without a close frame, so the
     * browser sees 1006); the subscriber leaves its channel as the connection closes. Client behaviour, not our error.
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
}
