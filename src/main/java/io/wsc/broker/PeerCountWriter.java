package io.wsc.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;

/**
 * Writes this node's subscriber count of a channel to Redis, one write at a time per channel, each reading the count
 * when it is sent. Concurrent writes over the client's pooled connections could land in any order and leave a stale
 * count behind; serialised, the last write always carries the latest count. Requests that arrive while a write is in
 * flight share the next one.
 */
final class PeerCountWriter {

    private final ConcurrentHashMap<String, List<CompletableFuture<Void>>> waiting = new ConcurrentHashMap<>();
    private final Function<String, Uni<?>> write;

    /** @param write sends the channel's current local count (read when called) */
    PeerCountWriter(Function<String, Uni<?>> write) {
        this.write = write;
    }

    /** Completes once a write that read the count after this call has reached Redis. */
    CompletionStage<Void> update(String channelId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean[] idle = new boolean[1];
        waiting.compute(channelId, (id, list) -> {
            idle[0] = list == null; // no entry: no write in flight for this channel
            List<CompletableFuture<Void>> waiters = list == null ? new ArrayList<>() : list;
            waiters.add(done);
            return waiters;
        });
        if (idle[0]) {
            writeNext(channelId);
        }
        return done;
    }

    private void writeNext(String channelId) {
        List<CompletableFuture<Void>> batch = new ArrayList<>();
        waiting.computeIfPresent(channelId, (id, list) -> {
            batch.addAll(list);
            list.clear(); // the entry stays: it marks the write in flight
            return list;
        });
        write.apply(channelId).subscribe().with(
                ok -> finished(channelId, batch, null),
                failure -> finished(channelId, batch, failure));
    }

    private void finished(String channelId, List<CompletableFuture<Void>> batch, Throwable failure) {
        batch.forEach(f -> {
            if (failure == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(failure);
            }
        });
        boolean[] more = new boolean[1];
        waiting.computeIfPresent(channelId, (id, list) -> {
            more[0] = !list.isEmpty();
            return more[0] ? list : null;
        });
        if (more[0]) {
            writeNext(channelId);
        }
    }
}
