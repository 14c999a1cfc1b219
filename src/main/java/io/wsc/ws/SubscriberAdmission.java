package io.wsc.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.channel.Channel;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.wsc.broker.Broker;
import io.wsc.channel.CatchUp;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.ChannelId;
import io.wsc.channel.FrameForm;
import io.wsc.channel.InvalidChannelException;
import io.wsc.channel.SocketOutput;
import io.wsc.channel.Subscriber;
import io.wsc.channel.SubscriberConnection;
import io.wsc.channel.SubscriberOutput;
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
                "The id to resume after must be a message id: a decimal number of at most 18 digits, after the name "
                        + "of one of the connection's channels and a colon when it is not the path's");
        public static final Refusal BROKER_UNAVAILABLE = new Refusal(503, "broker_unavailable",
                "The broker is unavailable; try again");
        /** Raw frames cannot say which channel a message is of. */
        static final Refusal CHANNELS_NEED_JSON = new Refusal(400, "channels_need_json",
                "Several channels on one connection (?channel=) need the wsc.v1.json subprotocol or an event stream");
        static final Refusal TOO_MANY_CHANNELS = new Refusal(400, "too_many_channels",
                "More channels than one connection may subscribe to (wsc.max-channels-per-connection)");
    }

    /** A request's channels, or why it may not subscribe to them (exactly one of the two is set). */
    public record Verdict(RequestedChannels channels, Refusal refusal) {
    }

    private final GracefulShutdown shutdown;
    private final ChannelHub hub;
    private final UpgradePolicy policy;
    private final Broker broker;
    private final WscMetrics metrics;
    private final int maxPendingBytes;
    private final int maxChannelsPerConnection;

    SubscriberAdmission(GracefulShutdown shutdown, ChannelHub hub, UpgradePolicy policy, Broker broker,
            WscMetrics metrics, WscConfig config) {
        this.shutdown = shutdown;
        this.hub = hub;
        this.policy = policy;
        this.broker = broker;
        this.metrics = metrics;
        this.maxPendingBytes = config.maxPendingBytes();
        this.maxChannelsPerConnection = config.maxChannelsPerConnection();
    }

    /**
     * The channels this request may subscribe to, or its refusal (already counted). A raw WebSocket ({@code form}
     * {@link FrameForm#RAW}) takes one channel, its path's.
     */
    public Verdict check(HttpServerRequest request, FrameForm form) {
        String path = request.path();
        if (ChannelId.isReservedPath(path)) {
            return refused(Refusal.RESERVED_PATH);
        }
        if (shutdown.isShuttingDown()) {
            return refused(Refusal.SHUTTING_DOWN);
        }
        RequestedChannels channels;
        try {
            channels = RequestedChannels.of(request);
        } catch (InvalidChannelException e) {
            return refused(Refusal.INVALID_CHANNEL);
        }
        if (channels.multiplexed() && form == FrameForm.RAW) {
            return refused(Refusal.CHANNELS_NEED_JSON);
        }
        if (channels.ids().size() > maxChannelsPerConnection) {
            return refused(Refusal.TOO_MANY_CHANNELS);
        }
        var refusal = policy.refusal(request, channels.ids());
        return refusal.isPresent() ? refused(refusal.get()) : new Verdict(channels, null);
    }

    /**
     * Joins a connection's subscribers to their channels at once, so nothing published from now on is missed (their
     * frames are held until the connection is answered); they leave when the connection closes, however that happens.
     * A multiplexed connection takes {@code form}'s channel-naming variant.
     */
    public List<Subscriber> join(RequestedChannels channels, Channel socket, FrameForm form) {
        return join(channels, new SocketOutput(socket, maxPendingBytes), form);
    }

    /** {@link #join(RequestedChannels, Channel, FrameForm)} for an output other than a socket of its own. */
    public List<Subscriber> join(RequestedChannels channels, SubscriberOutput output, FrameForm form) {
        SubscriberConnection connection = new SubscriberConnection(output, maxPendingBytes, channels.ids().size());
        List<Subscriber> subscribers;
        if (!channels.multiplexed()) {
            subscribers = List.of(new Subscriber(channels.first(), connection, form, true));
        } else {
            List<Subscriber> each = new ArrayList<>(channels.ids().size());
            for (String channelId : channels.ids()) {
                each.add(new Subscriber(channelId, connection, form.multiplexed(), each.isEmpty()));
            }
            subscribers = List.copyOf(each);
        }
        subscribers.forEach(hub::join);
        connection.whenClosed(() -> {
            subscribers.forEach(this::leave);
            connection.discardHeld();
        });
        return subscribers;
    }

    /**
     * Completes once the broker delivers every subscriber's channel to this node (Redis: the SUBSCRIBE is confirmed)
     * and, for the channels that resume ({@code since}: channel -> id), their catch-up is in front of the held frames.
     * On failure the subscribers have left their channels and the failure is counted as
     * {@link Refusal#BROKER_UNAVAILABLE}.
     */
    public Uni<Void> ready(List<Subscriber> subscribers, Map<String, Long> since) {
        List<Uni<Void>> each = new ArrayList<>(subscribers.size());
        for (Subscriber subscriber : subscribers) {
            Long after = since.get(subscriber.channelId());
            each.add(broker.subscribed(subscriber.channelId()).chain(() -> after == null ? Uni.createFrom().voidItem()
                    : catchUp(subscriber, after, subscribers.size())));
        }
        Uni<Void> all = each.size() == 1 ? each.get(0) : Uni.join().all(each).andFailFast().replaceWithVoid();
        return all.onFailure().invoke(failure -> {
            subscribers.forEach(this::leave);
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

    /**
     * Whatever history gives now goes out before the live messages held meanwhile. The channels of one connection share
     * one catch-up's budget, so that together they fit in its pending allowance.
     */
    private Uni<Void> catchUp(Subscriber subscriber, long since, int channels) {
        return Uni.createFrom().completionStage(() -> broker.catchUp(subscriber.channelId(), since))
                .invoke(catchUp -> subscriber.resume(channels == 1 ? catchUp
                        : catchUp.newestWithin(CatchUp.byteBudget(maxPendingBytes) / channels), since))
                .replaceWithVoid();
    }

    private void leave(Subscriber subscriber) {
        broker.unsubscribed(subscriber.channelId(), hub.leave(subscriber));
    }
}
