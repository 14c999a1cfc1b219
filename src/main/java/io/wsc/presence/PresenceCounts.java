package io.wsc.presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import jakarta.inject.Singleton;

/**
 * This node's identified connections per channel: for each {@code sub}, how many connections it has there and the
 * {@code info} of the latest one. Only channels with such connections have an entry. The callbacks of {@link #add}
 * and {@link #remove} run under the channel's lock, so the join and leave events of one client go out in the order
 * its count changed.
 */
@Singleton
public class PresenceCounts {

    private final ConcurrentHashMap<String, TreeMap<String, Entry>> channels = new ConcurrentHashMap<>();

    private static final class Entry {
        int connections;
        String info;
    }

    /** Counts one more connection of the client; runs {@code onFirst} (under the lock) when it had none here. */
    public void add(String channelId, ClientIdentity client, Runnable onFirst) {
        channels.compute(channelId, (id, clients) -> {
            TreeMap<String, Entry> all = clients == null ? new TreeMap<>() : clients;
            Entry entry = all.computeIfAbsent(client.sub(), sub -> new Entry());
            entry.info = client.info();
            if (++entry.connections == 1 && onFirst != null) {
                onFirst.run();
            }
            return all;
        });
    }

    /** Counts one connection of the client less; runs {@code onLast} (under the lock) when that was its last here. */
    public void remove(String channelId, ClientIdentity client, Runnable onLast) {
        channels.computeIfPresent(channelId, (id, all) -> {
            Entry entry = all.get(client.sub());
            if (entry != null && --entry.connections == 0) {
                all.remove(client.sub());
                if (onLast != null) {
                    onLast.run();
                }
            }
            return all.isEmpty() ? null : all;
        });
    }

    /** The client's connections to the channel on this node (0: none), and the info to report for it. */
    public PresentClient get(String channelId, String sub) {
        PresentClient[] found = {new PresentClient(sub, null, 0)};
        channels.computeIfPresent(channelId, (id, all) -> {
            Entry entry = all.get(sub);
            if (entry != null) {
                found[0] = new PresentClient(sub, entry.info, entry.connections);
            }
            return all;
        });
        return found[0];
    }

    /** The channel's clients on this node, at most {@code max}, by {@code sub}. */
    public PresenceList list(String channelId, int max) {
        List<PresentClient> clients = new ArrayList<>();
        boolean[] truncated = new boolean[1];
        channels.computeIfPresent(channelId, (id, all) -> {
            for (Map.Entry<String, Entry> entry : all.entrySet()) {
                if (clients.size() == max) {
                    truncated[0] = true;
                    break;
                }
                clients.add(new PresentClient(entry.getKey(), entry.getValue().info, entry.getValue().connections));
            }
            return all;
        });
        return new PresenceList(List.copyOf(clients), truncated[0]);
    }

    /** Every (channel, sub) with connections here, for a broker that renews them (run outside the locks). */
    public void forEach(BiConsumer<String, String> action) {
        List<String[]> pairs = new ArrayList<>();
        for (String channelId : channels.keySet()) {
            channels.computeIfPresent(channelId, (id, all) -> { // a TreeMap is read under its channel's lock only
                all.keySet().forEach(sub -> pairs.add(new String[] {id, sub}));
                return all;
            });
        }
        pairs.forEach(pair -> action.accept(pair[0], pair[1]));
    }
}
