package io.wsc.ws;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.UserData.TypedKey;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.wsc.broker.Broker;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.ChannelId;
import io.wsc.channel.InvalidChannelException;
import io.wsc.channel.FrameForm;
import io.wsc.channel.JsonFrames;
import io.wsc.channel.MessageId;
import io.wsc.channel.Subscriber;
import io.wsc.config.WscConfig;
import io.wsc.lifecycle.GracefulShutdown;
import io.wsc.metrics.WscMetrics;

/**
 * Decides whether a WebSocket upgrade may become a subscriber (valid channel name, server not shutting down, then
 * {@link UpgradePolicy}'s origin, token and limits) and, if so, joins it to its channel right here, before the 101 response goes out. Joining later, when websockets-next calls
 * {@code @OnOpen}, leaves a window in which a client already holds an open socket, publishes, and misses its own
 * message. Frames published during the upgrade wait in the {@link Subscriber} until the socket is open.
 */
@ApplicationScoped
public class UpgradeGuard implements HttpUpgradeCheck {

    static final TypedKey<Subscriber> SUBSCRIBER = new TypedKey<>("wsc.subscriber");
    /** The upgrade request's headers, until {@link ChannelSocket} lets go of them once the WebSocket is open. */
    static final TypedKey<MultiMap> UPGRADE_HEADERS = new TypedKey<>("wsc.upgrade-headers");

    private static final Logger LOG = Logger.getLogger(UpgradeGuard.class);

    private final GracefulShutdown shutdown;
    private final ChannelHub hub;
    private final UpgradePolicy policy;
    private final Broker broker;
    private final WscMetrics metrics;
    private final WscConfig config;

    UpgradeGuard(GracefulShutdown shutdown, ChannelHub hub, UpgradePolicy policy, Broker broker, WscMetrics metrics,
            WscConfig config) {
        this.shutdown = shutdown;
        this.hub = hub;
        this.policy = policy;
        this.broker = broker;
        this.metrics = metrics;
        this.config = config;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String path = context.httpRequest().path();
        if (ChannelId.isReservedPath(path)) {
            return refuse(404, "reserved_path");
        }
        if (shutdown.isShuttingDown()) {
            return refuse(503, "shutting_down");
        }
        String channelId;
        try {
            channelId = ChannelId.fromRawPath(path);
        } catch (InvalidChannelException e) {
            LOG.debugf("Refused a WebSocket upgrade: %s", e.getMessage());
            return refuse(400, "invalid_channel");
        }
        var refusal = policy.refusal(context.httpRequest(), channelId);
        if (refusal.isPresent()) {
            return refuse(refusal.get().status(), refusal.get().reason());
        }
        FrameForm form = asksForJson(context.httpRequest()) ? FrameForm.JSON : FrameForm.RAW;
        long since;
        try {
            since = MessageId.parse(context.httpRequest().getParam("since"));
        } catch (IllegalArgumentException e) {
            return refuse(400, "invalid_since");
        }
        if (since != MessageId.NONE && form == FrameForm.RAW) {
            return refuse(400, "invalid_since"); // resuming needs the JSON frames, which carry the ids
        }
        // websockets-next does not expose the socket; the Netty channel is what lets fan-out write one shared frame.
        Channel socket = ((ConnectionBase) context.httpRequest().connection()).channel();
        Subscriber subscriber = new Subscriber(channelId, socket, config.maxPendingBytes(), form);
        hub.join(subscriber);
        socket.closeFuture().addListener(closed -> { // also when the handshake itself fails
            leave(subscriber);
            subscriber.discardHeld();
        });
        context.userData().put(SUBSCRIBER, subscriber);
        context.userData().put(UPGRADE_HEADERS, context.httpRequest().headers());
        // The 101 waits until the broker delivers this channel here (Redis: the SUBSCRIBE is confirmed).
        return broker.subscribed(channelId)
                .chain(() -> since == MessageId.NONE ? Uni.createFrom().voidItem() : catchUp(subscriber, since))
                .replaceWith(CheckResult.permitUpgrade())
                .onFailure().recoverWithUni(failure -> {
                    LOG.debugf("Refused a WebSocket upgrade: broker unavailable (%s)", failure.getMessage());
                    leave(subscriber);
                    return refuse(503, "broker_unavailable");
                });
    }

    /**
     * True when the client offers {@code wsc.v1.json}: the only subprotocol the server supports, so the handshake
     * selects it exactly when it is offered.
     */
    static boolean asksForJson(HttpServerRequest request) {
        for (String header : request.headers().getAll("Sec-WebSocket-Protocol")) {
            for (String offered : header.split(",")) {
                if (offered.trim().equals(JsonFrames.SUBPROTOCOL)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Joined and subscribed: whatever history gives now goes out before the live messages held meanwhile. */
    private Uni<Void> catchUp(Subscriber subscriber, long since) {
        return Uni.createFrom().completionStage(() -> broker.catchUp(subscriber.channelId(), since))
                .invoke(catchUp -> subscriber.resume(catchUp, since)).replaceWithVoid();
    }

    private void leave(Subscriber subscriber) {
        broker.unsubscribed(subscriber.channelId(), hub.leave(subscriber));
    }

    private Uni<CheckResult> refuse(int status, String reason) {
        metrics.upgradeRefused(reason);
        return CheckResult.rejectUpgrade(status);
    }
}
