package io.wsc.webhook;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.wsc.broker.Broker;
import io.wsc.channel.ChannelHub;
import io.wsc.config.WscConfig;
import io.wsc.presence.PresenceCounts;

/**
 * Turns this node's joins and leaves into webhook events. A channel (or a member: a {@code sub} in a channel) this
 * node has a first subscriber of is claimed ({@link Occupancy#claim}: {@code channel_occupied} when it is news); when
 * its last one here leaves, it waits {@code wsc.webhook.vacated-delay}, and if none came back meanwhile releases it
 * ({@link Occupancy#release}: {@code channel_vacated} when the cluster has none either). A reconnect within the delay
 * cancels the wait, so it sends nothing at all. Everything here runs on one Vert.x context: a join and a leave of the
 * same channel never race, and this node's events are queued in the order they were decided.
 */
@Startup // not at the first subscriber: a node with none must still sweep for the channels of nodes that died
@Singleton
public class WebhookTriggers {

    private static final Logger LOG = Logger.getLogger(WebhookTriggers.class);

    private record Key(String channelId, String sub) {
    }

    /** A channel or member this node claimed, until its release is done. */
    private static final class Held {
        long timer = -1;
        boolean releasing;
        /** A subscriber came back while the release was on its way: claim again after it. */
        boolean rejoined;
    }

    private final WebhookDelivery delivery;
    private final Occupancy occupancy;
    private final ChannelHub hub;
    private final PresenceCounts presence;
    private final Vertx vertx;
    /** Null when webhooks are off: then every method returns at once. */
    private final Context context;
    private final long delayMillis;
    /** Read and written on {@link #context} only. */
    private final Map<Key, Held> held = new HashMap<>();

    WebhookTriggers(WscConfig config, WebhookDelivery delivery, Broker broker, ChannelHub hub,
            PresenceCounts presence, Vertx vertx) {
        this.delivery = delivery;
        this.occupancy = broker.occupancy();
        this.hub = hub;
        this.presence = presence;
        this.vertx = vertx;
        Duration delay = config.webhook().vacatedDelay();
        this.delayMillis = Math.max(1, delay.toMillis()); // a Vert.x timer needs 1 ms at least
        this.context = delivery.enabled() ? vertx.getOrCreateContext() : null;
        if (context != null) {
            occupancy.reportOrphans(delivery::send);
        }
    }

    /** A subscriber of the channel on this node is answered (the broker counts it). */
    public void channelJoined(String channelId) {
        joined(new Key(channelId, null));
    }

    /** A subscriber of the channel on this node left. */
    public void channelLeft(String channelId) {
        left(new Key(channelId, null));
    }

    /** A connection of member {@code sub} subscribes to the channel on this node (the broker counts it). */
    public void memberJoined(String channelId, String sub) {
        joined(new Key(channelId, sub));
    }

    /** A connection of member {@code sub} left the channel on this node. */
    public void memberLeft(String channelId, String sub) {
        left(new Key(channelId, sub));
    }

    private void joined(Key key) {
        if (context != null) {
            context.runOnContext(v -> join(key));
        }
    }

    private void left(Key key) {
        if (context != null) {
            context.runOnContext(v -> {
                Held entry = held.get(key);
                if (entry != null) {
                    waitIfEmpty(key, entry);
                }
            });
        }
    }

    private void join(Key key) {
        Held entry = held.get(key);
        if (entry == null) {
            entry = new Held();
            held.put(key, entry);
            occupancy.claim(key.channelId, key.sub).subscribe().with(
                    time -> context.runOnContext(v -> sendIf(time, WebhookEvent.filled(key.channelId, key.sub, time))),
                    failure -> LOG.debugf("Could not claim %s for webhooks: %s", key, failure.getMessage()));
        } else if (entry.releasing) {
            entry.rejoined = true;
        } else if (entry.timer >= 0) {
            vertx.cancelTimer(entry.timer);
            entry.timer = -1;
        }
        waitIfEmpty(key, entry); // it may have left again before this ran
    }

    private void waitIfEmpty(Key key, Held entry) {
        if (!entry.releasing && entry.timer < 0 && locallyEmpty(key)) {
            entry.timer = vertx.setTimer(delayMillis, id -> expired(key, entry)); // fires on this context
        }
    }

    private void expired(Key key, Held entry) {
        entry.timer = -1;
        if (!locallyEmpty(key)) {
            return;
        }
        entry.releasing = true;
        occupancy.release(key.channelId, key.sub).subscribe().with(
                time -> context.runOnContext(v -> released(key, entry, time)),
                failure -> {
                    LOG.debugf("Could not release %s for webhooks: %s", key, failure.getMessage());
                    context.runOnContext(v -> released(key, entry, 0));
                });
    }

    private void released(Key key, Held entry, long time) {
        sendIf(time, WebhookEvent.emptied(key.channelId, key.sub, time));
        held.remove(key);
        if (entry.rejoined) {
            join(key);
        }
    }

    private void sendIf(long time, WebhookEvent event) {
        if (time > 0) {
            delivery.send(event);
        }
    }

    private boolean locallyEmpty(Key key) {
        return key.sub == null ? hub.localSubscribers(key.channelId) == 0
                : presence.get(key.channelId, key.sub).connections() == 0;
    }
}
