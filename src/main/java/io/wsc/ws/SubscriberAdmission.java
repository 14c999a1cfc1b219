package io.wsc.ws;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.channel.Channel;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.wsc.broker.Broker;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.ChannelId;
import io.wsc.channel.FrameForm;
import io.wsc.channel.InvalidChannelException;
import io.wsc.channel.MessageId;
import io.wsc.channel.Subscriber;
import io.wsc.config.WscConfig;
import io.wsc.lifecycle.GracefulShutdown;
import io.wsc.metrics.WscMetrics;

/**
 * The steps every subscriber goes through before its connection is answered, whether it asked for a WebSocket
 * ({@link UpgradeGuard}) or an event stream: the checks, joining its channel, and waiting until the broker delivers
 * the channel here and its catch-up is in place. Each kind of connection answers the outcome its own way.
 */
@ApplicationScoped
public class SubscriberAdmission {

    /**
     * The answer a subscribe request gets instead of a subscription: its status, the reason it is counted under, and
     * the sentence a plain HTTP answer carries (a refused WebSocket upgrade has no body).
     */
    public record Refusal(int status, String reason, String sentence) {

        static final Refusal RESERVED_PATH = new Refusal(404, "reserved_path", "Not Found");
        static final Refusal SHUTTING_DOWN = new Refusal(503, "shutting_down", "The server is shutting down");
        static final Refusal INVALID_CHANNEL = new Refusal(400, "invalid_channel", "Invalid channel name");
        /** A WebSocket handshake whose {@code Upgrade} names another protocol (RFC 6455 asks for "websocket"). */
        static final Refusal NOT_WEBSOCKET = new Refusal(400, "not_websocket",
                "Only WebSocket upgrades are served here");
        public static final Refusal INVALID_SINCE = new Refusal(400, "invalid_since",
                "The id to resume after must be a message id: a decimal number of at most 18 digits");
        public static final Refusal BROKER_UNAVAILABLE = new Refusal(503, "broker_unavailable",
                "The broker is unavailable; try again");
    }

    /** A request's channel, or why it may not subscribe to it (exactly one of the two is set). */
    public record Verdict(String channelId, Refusal refusal) {
    }

    private final GracefulShutdown shutdown;
    private final ChannelHub hub;
    private final UpgradePolicy policy;
    private final Broker broker;
    private final WscMetrics metrics;
    private final int maxPendingBytes;

    SubscriberAdmission(GracefulShutdown shutdown, ChannelHub hub, UpgradePolicy policy, Broker broker,
            WscMetrics metrics, WscConfig config) {
        this.shutdown = shutdown;
        this.hub = hub;
        this.policy = policy;
        this.broker = broker;
        this.metrics = metrics;
        this.maxPendingBytes = config.maxPendingBytes();
    }

    /** The channel this request may subscribe to, or its refusal (already counted). */
    public Verdict check(HttpServerRequest request) {
        String path = request.path();
        if (ChannelId.isReservedPath(path)) {
            return refused(Refusal.RESERVED_PATH);
        }
        if (shutdown.isShuttingDown()) {
            return refused(Refusal.SHUTTING_DOWN);
        }
        String channelId;
        try {
            channelId = ChannelId.fromRawPath(path);
        } catch (InvalidChannelException e) {
            return refused(Refusal.INVALID_CHANNEL);
        }
        var refusal = policy.refusal(request, channelId);
        return refusal.isPresent() ? refused(refusal.get()) : new Verdict(channelId, null);
    }

    /**
     * Joins a subscriber to its channel at once, so nothing published from now on is missed (its frames are held
     * until its connection is answered); it leaves when the connection closes, however that happens.
     */
    public Subscriber join(String channelId, Channel socket, FrameForm form) {
        Subscriber subscriber = new Subscriber(channelId, socket, maxPendingBytes, form);
        hub.join(subscriber);
        socket.closeFuture().addListener(closed -> {
            leave(subscriber);
            subscriber.discardHeld();
        });
        return subscriber;
    }

    /**
     * Completes once the broker delivers the subscriber's channel to this node (Redis: the SUBSCRIBE is confirmed) and,
     * when it resumes after {@code since}, its catch-up is in front of its held frames. On failure the subscriber has
     * left its channel and the failure is counted as {@link Refusal#BROKER_UNAVAILABLE}.
     */
    public Uni<Void> ready(Subscriber subscriber, long since) {
        return broker.subscribed(subscriber.channelId())
                .chain(() -> since == MessageId.NONE ? Uni.createFrom().voidItem() : catchUp(subscriber, since))
                .onFailure().invoke(failure -> {
                    leave(subscriber);
                    count(Refusal.BROKER_UNAVAILABLE);
                });
    }

    /** Counts a refusal, also one decided by the caller (e.g. an invalid id to resume from). */
    public Refusal count(Refusal refusal) {
        metrics.upgradeRefused(refusal.reason());
        return refusal;
    }

    private Verdict refused(Refusal refusal) {
        return new Verdict(null, count(refusal));
    }

    /** Whatever history gives now goes out before the live messages held meanwhile. */
    private Uni<Void> catchUp(Subscriber subscriber, long since) {
        return Uni.createFrom().completionStage(() -> broker.catchUp(subscriber.channelId(), since))
                .invoke(catchUp -> subscriber.resume(catchUp, since)).replaceWithVoid();
    }

    private void leave(Subscriber subscriber) {
        broker.unsubscribed(subscriber.channelId(), hub.leave(subscriber));
    }
}
