package io.wsc.ws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.channel.Channel;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.wsc.broker.Broker;
import io.wsc.channel.CatchUp;
import io.wsc.channel.ChannelHub;
import io.wsc.channel.ClientConnections;
import io.wsc.channel.ChannelId;
import io.wsc.channel.FrameForm;
import io.wsc.channel.InvalidChannelException;
import io.wsc.channel.PresenceFeed;
import io.wsc.channel.SocketOutput;
import io.wsc.channel.Subscriber;
import io.wsc.channel.SubscriberConnection;
import io.wsc.channel.SubscriberOutput;
import io.wsc.config.WscConfig;
import io.wsc.lifecycle.GracefulShutdown;
import io.wsc.metrics.WscMetrics;
import io.wsc.presence.ClientIdentity;
import io.wsc.webhook.WebhookTriggers;

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
        static final Refusal INVALID_REWIND = new Refusal(400, "invalid_rewind",
                "rewind must be one number of messages: a decimal number, 0 or more");
        static final Refusal REWIND_NEEDS_HISTORY = new Refusal(400, "rewind_needs_history",
                "rewind needs message history, which this server does not keep (wsc.history.size is 0)");
        /** Raw frames cannot tell a presence event from a message. */
        static final Refusal PRESENCE_NEEDS_JSON = new Refusal(400, "presence_needs_json",
                "Presence events (?presence=events) need the wsc.v1.json subprotocol or an event stream");
        static final Refusal PRESENCE_PARAMETER = new Refusal(400, "presence_parameter",
                "?presence on a subscription takes one value, events, and needs subscriber tokens"
                        + " (wsc.subscribe.jwt-secret or wsc.subscribe.jwt-public-key-location)");
    }

    /**
     * A request's channels and how many kept messages it asks for first ({@link Rewind}, 0: none), or why it may not
     * subscribe to them (either {@code channels} or {@code refusal} is set); who its token names (null: nobody), when
     * its token expires (epoch ms with the clock skew allowed; 0: no token), and whether it asked for presence events.
     */
    public record Verdict(RequestedChannels channels, int rewind, Refusal refusal, ClientIdentity client,
            long tokenClosesAtMillis, boolean presenceEvents) {
    }

    /** The query parameter that asks for presence events ({@code ?presence=events}). */
    public static final String PRESENCE_PARAMETER = "presence";

    private final GracefulShutdown shutdown;
    private final ChannelHub hub;
    private final UpgradePolicy policy;
    private final Broker broker;
    private final WscMetrics metrics;
    private final SubscribeHook hook;
    private final PresenceFeed presenceFeed;
    private final WebhookTriggers webhooks;
    private final ClientConnections clients;
    private final TokenExpiry expiry;
    private final int maxPendingBytes;
    private final int maxChannelsPerConnection;
    private final int historySize;

    SubscriberAdmission(GracefulShutdown shutdown, ChannelHub hub, UpgradePolicy policy, Broker broker,
            WscMetrics metrics, SubscribeHook hook, PresenceFeed presenceFeed, WebhookTriggers webhooks,
            ClientConnections clients, TokenExpiry expiry, WscConfig config) {
        this.presenceFeed = presenceFeed;
        this.webhooks = webhooks;
        this.clients = clients;
        this.expiry = expiry;
        this.shutdown = shutdown;
        this.hub = hub;
        this.policy = policy;
        this.broker = broker;
        this.metrics = metrics;
        this.hook = hook;
        this.maxPendingBytes = config.maxPendingBytes();
        this.maxChannelsPerConnection = config.maxChannelsPerConnection();
        this.historySize = Math.max(0, config.history().size());
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
        List<String> rewindValues = request.params().getAll(Rewind.PARAMETER);
        int rewind;
        try {
            rewind = Rewind.parse(rewindValues, historySize);
        } catch (IllegalArgumentException e) {
            return refused(Refusal.INVALID_REWIND);
        }
        if (!rewindValues.isEmpty() && historySize == 0) {
            return refused(Refusal.REWIND_NEEDS_HISTORY);
        }
        List<String> presence = request.params().getAll(PRESENCE_PARAMETER);
        boolean presenceEvents = !presence.isEmpty();
        if (presenceEvents && (presence.size() > 1 || !presence.get(0).equals("events")
                || !policy.identifiesClients())) {
            return refused(Refusal.PRESENCE_PARAMETER);
        }
        if (presenceEvents && form == FrameForm.RAW) {
            return refused(Refusal.PRESENCE_NEEDS_JSON);
        }
        UpgradePolicy.Outcome outcome = policy.check(request, channels.ids());
        return outcome.refusal() != null ? refused(outcome.refusal())
                : new Verdict(channels, rewind, null, outcome.client(), outcome.tokenClosesAtMillis(), presenceEvents);
    }

    /**
     * The backend's verdict when a subscribe hook is set (wsc.subscribe.authorize-url), delivered on {@code loop} (the
     * connection's): null to admit, or the refusal, counted. Without a hook, null at once. Asked after {@link #check},
     * so that a request the server refuses anyway costs the backend nothing.
     */
    public Uni<Refusal> authorize(HttpServerRequest request, RequestedChannels channels, String transport,
            Executor loop) {
        if (!hook.enabled()) {
            return Uni.createFrom().nullItem();
        }
        return hook.verdict(request, channels, transport).emitOn(loop)
                .map(refusal -> refusal == null ? null : count(refusal));
    }

    /**
     * Joins a connection's subscribers to their channels at once, so nothing published from now on is missed (their
     * frames are held until the connection is answered); they leave when the connection closes, however that happens.
     * A multiplexed connection takes {@code form}'s channel-naming variant. A connection whose token names a client is
     * found by its {@code sub} (a disconnect), and one with a token closes when the token expires.
     */
    public List<Subscriber> join(Verdict verdict, Channel socket, FrameForm form) {
        return join(verdict, new SocketOutput(socket, maxPendingBytes), form);
    }

    /** {@link #join(Verdict, Channel, FrameForm)} for an output other than a socket of its own (an HTTP/2 stream). */
    public List<Subscriber> join(Verdict verdict, SubscriberOutput output, FrameForm form) {
        RequestedChannels channels = verdict.channels();
        SubscriberConnection connection = new SubscriberConnection(output, maxPendingBytes, channels.ids().size(),
                channels.multiplexed() ? form.multiplexed() : form);
        List<Subscriber> subscribers;
        if (!channels.multiplexed()) {
            subscribers = List.of(new Subscriber(channels.first(), connection, form, 0));
        } else {
            List<Subscriber> each = new ArrayList<>(channels.ids().size());
            for (String channelId : channels.ids()) {
                each.add(new Subscriber(channelId, connection, form.multiplexed(), each.size()));
            }
            subscribers = List.copyOf(each);
        }
        subscribers.forEach(hub::join);
        connection.whenClosed(() -> {
            subscribers.forEach(this::leave);
            connection.discardHeld();
        });
        if (verdict.client() != null) {
            clients.add(verdict.client().sub(), connection);
        }
        if (verdict.tokenClosesAtMillis() > 0) {
            expiry.watch(connection, verdict.tokenClosesAtMillis());
        }
        return subscribers;
    }

    /**
     * Completes once the broker delivers every subscriber's channel to this node (Redis: the SUBSCRIBE is confirmed)
     * and, for the channels that resume ({@code since}: channel -> id) or rewind (the other channels, when the
     * verdict's {@code rewind} > 0), their catch-up is in front of the held frames. An identified client is counted in
     * its channels' presence, and a watcher gets their events, from here until its connection closes. On failure the
     * subscribers have left their channels (and presence) and the failure is counted as
     * {@link Refusal#BROKER_UNAVAILABLE}.
     */
    public Uni<Void> ready(Verdict verdict, List<Subscriber> subscribers, Map<String, Long> since) {
        int rewind = verdict.rewind();
        List<Uni<Void>> each = new ArrayList<>(subscribers.size() + 1);
        PresenceMembership membership = null;
        if (verdict.client() != null || verdict.presenceEvents()) {
            membership = new PresenceMembership(broker.presence(), presenceFeed, webhooks, subscribers,
                    verdict.client(), verdict.presenceEvents());
            each.add(membership.enter());
        }
        for (Subscriber subscriber : subscribers) {
            Long after = since.get(subscriber.channelId());
            each.add(broker.subscribed(subscriber.channelId())
                    .invoke(() -> webhooks.channelJoined(subscriber.channelId())) // counted by the broker now
                    .chain(() -> after != null
                    ? catchUp(subscriber, after, subscribers.size())
                    : rewind > 0 ? rewind(subscriber, rewind, subscribers.size()) : startPosition(subscriber)));
        }
        Uni<Void> all = each.size() == 1 ? each.get(0) : Uni.join().all(each).andFailFast().replaceWithVoid();
        PresenceMembership member = membership;
        return all.onFailure().invoke(failure -> {
            subscribers.forEach(this::leave);
            if (member != null) {
                member.leave();
            }
            count(Refusal.BROKER_UNAVAILABLE);
        });
    }

    /** Counts a refusal, also one decided by the caller (e.g. an invalid id to resume from). */
    public Refusal count(Refusal refusal) {
        metrics.upgradeRefused(refusal.reason());
        return refusal;
    }

    private Verdict refused(Refusal refusal) {
        return new Verdict(null, 0, count(refusal), null, 0, false);
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

    /**
     * The channel's newest {@code count} kept messages go out before the live ones held meanwhile, within the same
     * budget as a catch-up; a rewind asked for the newest, so none it leaves out is a gap.
     */
    private Uni<Void> rewind(Subscriber subscriber, int count, int channels) {
        return Uni.createFrom().completionStage(() -> broker.latest(subscriber.channelId(), count))
                .invoke(latest -> subscriber.resume(channels == 1 ? latest
                        : latest.newestWithin(CatchUp.byteBudget(maxPendingBytes) / channels).asRewind(), 0))
                .replaceWithVoid();
    }

    /** A multiplexed event stream's channel starts at its last id ({@link Subscriber#startAt}); others need nothing. */
    private Uni<Void> startPosition(Subscriber subscriber) {
        if (!subscriber.tracksPosition() || historySize == 0) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().completionStage(() -> broker.latest(subscriber.channelId(), 1))
                .invoke(latest -> subscriber.startAt(latest.lastId())).replaceWithVoid();
    }

    private void leave(Subscriber subscriber) {
        broker.unsubscribed(subscriber.channelId(), hub.leave(subscriber));
        webhooks.channelLeft(subscriber.channelId());
    }
}
