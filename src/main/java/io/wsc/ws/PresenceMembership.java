package io.wsc.ws;

import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.wsc.channel.PresenceFeed;
import io.wsc.channel.Subscriber;
import io.wsc.presence.ClientIdentity;
import io.wsc.presence.Presence;
import io.wsc.webhook.WebhookTriggers;

/**
 * One connection's part in its channels' presence: counted under its client's {@code sub} (when its token names one)
 * and, when it asked, watching their join and leave events. It leaves exactly once: when its connection closes, or
 * when its subscription failed before it was answered.
 */
final class PresenceMembership {

    private final Presence presence;
    private final PresenceFeed feed;
    private final WebhookTriggers webhooks;
    private final List<Subscriber> subscribers;
    private final ClientIdentity client;
    private final boolean watches;
    /** Channels its client is counted in (guarded by this): a leave undoes exactly these, and only once. */
    private final List<String> counted = new ArrayList<>();
    private boolean left;

    PresenceMembership(Presence presence, PresenceFeed feed, WebhookTriggers webhooks, List<Subscriber> subscribers,
            ClientIdentity client, boolean watches) {
        this.presence = presence;
        this.feed = feed;
        this.webhooks = webhooks;
        this.subscribers = subscribers;
        this.client = client;
        this.watches = watches;
    }

    /**
     * Watches first, then counts, so a watcher sees its own join, then reads a watcher's snapshot; completes once all
     * took effect in the broker, so the snapshot is among the frames held for the connection until it is answered.
     * The connection's close makes it leave, also when it closed already.
     */
    Uni<Void> enter() {
        List<Uni<Void>> steps = new ArrayList<>(subscribers.size());
        for (Subscriber subscriber : subscribers) {
            String channelId = subscriber.channelId();
            Uni<Void> step = Uni.createFrom().voidItem();
            if (watches) {
                feed.watch(subscriber);
                step = presence.watched(channelId);
            }
            if (client != null) {
                step = step.chain(() -> count(channelId));
            }
            if (watches) { // read once watching and counted: the snapshot includes this client, events follow it
                step = step.chain(() -> presence.list(channelId, feed.maxListed()))
                        .invoke(list -> feed.snapshot(subscriber, list)).replaceWithVoid();
            }
            steps.add(step);
        }
        subscribers.get(0).connection().whenClosed(this::leave); // an HTTP/2 stream's end, not its connection's
        return steps.size() == 1 ? steps.get(0) : Uni.join().all(steps).andFailFast().replaceWithVoid();
    }

    /** Counts the client in the channel unless the connection left meanwhile (it may close while watching starts). */
    private synchronized Uni<Void> count(String channelId) {
        if (left) {
            return Uni.createFrom().voidItem();
        }
        counted.add(channelId);
        return presence.joined(channelId, client).invoke(() -> webhooks.memberJoined(channelId, client.sub()));
    }

    synchronized void leave() {
        if (left) {
            return;
        }
        left = true;
        counted.forEach(channelId -> {
            presence.left(channelId, client);
            webhooks.memberLeft(channelId, client.sub());
        });
        for (Subscriber subscriber : subscribers) {
            if (watches) {
                presence.unwatched(subscriber.channelId(), feed.unwatch(subscriber));
            }
        }
    }
}
