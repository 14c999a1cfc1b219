package io.wsc.ws;

import java.io.IOException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.InboundProcessingMode;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.wsc.channel.SubscriberConnection;

/**
 * A browser's subscription: {@code ws://host/<channel>} (with {@code wsc.v1.json}, plus {@code ?channel=<another>}...).
 * The subscriber joins its channels during the upgrade ({@link UpgradeGuard}) and leaves them when its connection
 * closes. Frames the browser sends are ignored (no handler is
 * declared), as in the original wsc.
 * <p>
 * Inbound processing is concurrent: the serial mode gives every connection a queue (about 1.1 KB, with its first
 * chunk) to order callbacks that here are non-blocking, run on the connection's event loop and so are ordered anyway.
 */
@WebSocket(path = "/*", inboundProcessingMode = InboundProcessingMode.CONCURRENT)
public class ChannelSocket {

    private static final Logger LOG = Logger.getLogger(ChannelSocket.class);

    /** The same limit websockets-next applies to a single frame, applied to a message's fragments together. */
    @ConfigProperty(name = "quarkus.websockets-next.server.max-message-size")
    long maxMessageBytes;

    /** Its subscribers joined their channels in {@link UpgradeGuard}; now it can also be closed with a close frame. */
    @OnOpen
    @NonBlocking
    void onOpen(WebSocketConnection connection) {
        SubscriberConnection subscriber = connection.userData().get(UpgradeGuard.CONNECTION);
        CloseOnProtocolViolation.install(subscriber.socket(), maxMessageBytes);
        HttpIdleTimeout.drop(subscriber.socket());
        forgetUpgradeHeaders(connection);
        subscriber.opened(farewell -> connection.close(new CloseReason(farewell.code(), farewell.reason()))
                .subscribe().with(ok -> {
                }, failure -> LOG.debugf("Close frame not sent: %s", failure.getMessage())));
    }

    /**
     * Vert.x keeps the upgrade request's headers for as long as the connection lives: about 0.5 KB per subscriber here
     * (more with a browser's cookies and user agent) that nothing reads once the WebSocket is open. websockets-next's
     * {@code handshakeRequest()} keeps its own immutable copy, which stays: {@link UpgradeGuard} trims the headers to
     * the handshake's before that copy is made.
     */
    private static void forgetUpgradeHeaders(WebSocketConnection connection) {
        MultiMap headers = connection.userData().remove(UpgradeGuard.UPGRADE_HEADERS);
        if (headers != null) {
            headers.clear();
        }
    }

    /** Browsers answer the server's pings by themselves; a peer that stops answering is dropped by the hub. */
    @OnPongMessage
    @NonBlocking
    void onPong(WebSocketConnection connection, Buffer data) {
        connection.userData().get(UpgradeGuard.CONNECTION).seen();
    }

    /** A peer that vanished (connection reset, broken pipe): an everyday event for browsers, not a server error. */
    @OnError
    @NonBlocking
    void onTransportError(WebSocketConnection connection, IOException failure) {
        LOG.debugf("Subscriber %s lost: %s", connection.id(), failure.getMessage());
    }
}
