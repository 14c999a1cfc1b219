package io.wsc.broker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.wsc.channel.PresenceFeed;
import io.wsc.presence.ClientIdentity;
import io.wsc.presence.Presence;
import io.wsc.presence.PresenceCounts;
import io.wsc.presence.PresenceList;
import io.wsc.presence.PresentClient;

/**
 * Presence across nodes ({@link RedisPresenceScripts}). Each node counts its own connections per client and channel
 * ({@link PresenceCounts}) and writes that count to Redis, one write at a time per client and channel, each reading
 * the count when it is sent (as peer counts are written, {@link PeerCountWriter}); every heartbeat rewrites them all
 * with a new deadline, which also repairs a failed write or a Redis that lost its data. The scripts publish joins and
 * leaves on the channel's presence events, which the nodes with watchers of the channel subscribe to and hand to
 * {@link PresenceFeed}. Each heartbeat, a node with watchers of a channel also reads through its clients (a page of
 * them per beat), which removes those of nodes that died and tells the watchers they left.
 */
final class RedisPresence implements Presence {

    private static final Logger LOG = Logger.getLogger(RedisPresence.class);
    /** A channel's last watcher may be followed by a new one soon (a reload): keep the subscription a while. */
    private static final Duration UNWATCH_GRACE = Duration.ofSeconds(5);
    private static final char SEPARATOR = '\n'; // neither channel names nor subs hold control characters

    private final Function<Request, Uni<Response>> call;
    private final RedisKeys keys;
    private final RedisSubscriptions subscriptions;
    private final PresenceCounts counts;
    private final PresenceFeed feed;
    private final Vertx vertx;
    private final String nodeId;
    private final long ttlMillis;
    private final int sweepPage;
    private final String writeScript;
    private final String listScript;
    private final PeerCountWriter writer = new PeerCountWriter(this::writeCount);
    /** Per watched channel, where the next heartbeat's sweep goes on (absent: from the start). */
    private final ConcurrentHashMap<String, String> sweepCursors = new ConcurrentHashMap<>();

    RedisPresence(Function<Request, Uni<Response>> call, RedisKeys keys, RedisPubSub pubSub,
            RedisSubscriptions subscriptions, PresenceCounts counts, PresenceFeed feed, Vertx vertx, String nodeId,
            Duration ttl, int sweepPage) {
        this.call = call;
        this.keys = keys;
        this.subscriptions = subscriptions;
        this.counts = counts;
        this.feed = feed;
        this.vertx = vertx;
        this.nodeId = nodeId;
        this.ttlMillis = ttl.toMillis();
        this.sweepPage = sweepPage;
        this.writeScript = pubSub.script(RedisPresenceScripts.WRITE);
        this.listScript = pubSub.script(RedisPresenceScripts.LIST);
    }

    @Override
    public Uni<Void> joined(String channelId, ClientIdentity client) {
        counts.add(channelId, client, null);
        var written = writer.update(channelId + SEPARATOR + client.sub()); // at once, subscribed to or not
        return Uni.createFrom().completionStage(written);
    }

    @Override
    public void left(String channelId, ClientIdentity client) {
        counts.remove(channelId, client, null);
        writer.update(channelId + SEPARATOR + client.sub()); // a failed write is repaired by the next heartbeat
    }

    @Override
    public Uni<Void> watched(String channelId) {
        return Uni.createFrom().completionStage(() -> subscriptions.subscribePresence(channelId));
    }

    @Override
    public void unwatched(String channelId, int remaining) {
        if (remaining == 0) {
            vertx.setTimer(UNWATCH_GRACE.toMillis(), id -> {
                if (!feed.watched(channelId)) {
                    subscriptions.unsubscribePresence(channelId);
                    sweepCursors.remove(channelId);
                }
            });
        }
    }

    @Override
    public Uni<PresenceList> list(String channelId, int max) {
        return call.apply(listRequest(channelId, "", max + 1)).map(answer -> {
            List<PresentClient> clients = clients(answer);
            return clients.size() > max ? new PresenceList(List.copyOf(clients.subList(0, max)), true)
                    : new PresenceList(clients, false);
        });
    }

    /** A join or leave the presence script published: {@code +<sub>\n<info>} or {@code -<sub>\n<info>}. */
    void received(String channelId, byte[] payload) {
        String event = new String(payload, StandardCharsets.UTF_8);
        int newline = event.indexOf('\n');
        if (event.isEmpty() || newline < 0 || event.charAt(0) != '+' && event.charAt(0) != '-') {
            LOG.debugf("Ignored a malformed presence event of %s", channelId);
            return;
        }
        String info = event.substring(newline + 1);
        feed.changed(channelId, event.charAt(0) == '+',
                new ClientIdentity(event.substring(1, newline), info.isEmpty() ? null : info));
    }

    /** Events published while the link was down did not arrive: the watchers are told to read presence again. */
    void resubscribed(String channelId) {
        feed.gap(channelId);
    }

    /**
     * Every heartbeat: rewrites this node's entries with a new deadline, and sweeps a page of each watched channel's
     * clients, so those of a dead node leave (with an event) soon after their deadline.
     */
    void beat() {
        counts.forEach((channelId, sub) -> writer.update(channelId + SEPARATOR + sub));
        for (String channelId : feed.watchedChannels()) {
            String cursor = sweepCursors.getOrDefault(channelId, "");
            call.apply(listRequest(channelId, cursor, sweepPage)).subscribe().with(
                    answer -> sweepCursors.put(channelId, answer.get(0).toString()),
                    failure -> LOG.debugf("Presence sweep of %s failed: %s", channelId, failure.getMessage()));
        }
    }

    /** On shutdown: this node's entries, removed (their clients leave unless they are on other nodes too). */
    List<Uni<Response>> goodbye() {
        List<Uni<Response>> writes = new ArrayList<>();
        counts.forEach((channelId, sub) -> writes.add(call.apply(writeRequest(channelId, sub, 0, ""))));
        return writes;
    }

    private Uni<Response> writeCount(String key) {
        int separator = key.indexOf(SEPARATOR);
        String channelId = key.substring(0, separator);
        String sub = key.substring(separator + 1);
        PresentClient here = counts.get(channelId, sub);
        return call.apply(writeRequest(channelId, sub, here.connections(), here.info() == null ? "" : here.info()));
    }

    private Request writeRequest(String channelId, String sub, int connections, String info) {
        return Request.cmd(Command.EVAL).arg(writeScript).arg(3).arg(keys.presenceIndex(channelId))
                .arg(keys.presenceClients(channelId)).arg(keys.presenceEvents(channelId))
                .arg(nodeId).arg(sub).arg(connections).arg(ttlMillis).arg(info);
    }

    private Request listRequest(String channelId, String cursor, int limit) {
        return Request.cmd(Command.EVAL).arg(listScript).arg(3).arg(keys.presenceIndex(channelId))
                .arg(keys.presenceClients(channelId)).arg(keys.presenceEvents(channelId)).arg(cursor).arg(limit);
    }

    private static List<PresentClient> clients(Response answer) {
        List<PresentClient> clients = new ArrayList<>();
        for (int i = 1; i + 2 < answer.size(); i += 3) {
            clients.add(client(answer, i));
        }
        return clients;
    }

    private static PresentClient client(Response answer, int at) {
        String info = answer.get(at + 2).toString();
        return new PresentClient(answer.get(at).toString(), info.isEmpty() ? null : info, answer.get(at + 1).toInteger());
    }
}
