package io.wsc.channel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * A channel's most recent messages, for subscribers that resume ({@code ?since=<id>}): a ring of at most {@code size}
 * entries, each kept for {@code ttl} at most. Every message appended gets the next id of the channel's sequence, which
 * orders it within the channel. Expired entries are dropped lazily, on the next append or read.
 * <p>
 * A sequence starts from the clock (milliseconds x 1000), as the Redis broker's do: a history made again (after a
 * restart, or once the channel was forgotten) numbers its messages above every id of the one before, so an id from
 * the old sequence always gets a gap signal. Starting again at 1 would let an old id fall inside the new sequence
 * and skip what came between without a word.
 * <p>
 * Created only when history is on ({@code wsc.history.size > 0}) and the channel is first published to.
 */
final class ChannelHistory {

    /** One kept message. */
    record Entry(long id, byte[] body, boolean binary, long storedNanos) {
    }

    private final Entry[] ring;
    private final long ttlNanos;
    /** The hub's total of kept body bytes, across channels (a metric). */
    private final LongAdder totalBytes;
    private int head; // index of the oldest entry
    private int count;
    /** The sequence's ids are above this one; {@code ?since=0} means from here. */
    private final long idsAfter;
    private long lastId; // idsAfter until the first append
    private long bytes;

    ChannelHistory(int size, long ttlNanos, LongAdder totalBytes) {
        this(size, ttlNanos, totalBytes, System.currentTimeMillis() * 1000);
    }

    ChannelHistory(int size, long ttlNanos, LongAdder totalBytes, long idsAfter) {
        if (size <= 0) {
            throw new IllegalArgumentException("History size must be positive: " + size);
        }
        this.ring = new Entry[size];
        this.ttlNanos = ttlNanos;
        this.totalBytes = totalBytes;
        this.idsAfter = idsAfter;
        this.lastId = idsAfter;
    }

    /** Keeps the message (dropping the oldest when full) and returns its id. */
    synchronized long append(byte[] body, boolean binary, long nowNanos) {
        expire(nowNanos);
        if (count == ring.length) {
            dropOldest();
        }
        Entry entry = new Entry(++lastId, body, binary, nowNanos);
        ring[(head + count) % ring.length] = entry;
        count++;
        bytes += body.length;
        totalBytes.add(body.length);
        return entry.id();
    }

    /**
     * The kept messages with an id above {@code sinceId}, at most {@code maxBytes} of bodies (the newest that fit). A
     * gap is reported when any message after {@code sinceId} is not among them: dropped by size or age, cut by
     * {@code maxBytes}, or {@code sinceId} is not of this sequence (from before a restart). 0 asks for the whole
     * sequence.
     */
    synchronized CatchUp since(long requested, long nowNanos, long maxBytes) {
        expire(nowNanos);
        long sinceId = requested == 0 ? idsAfter : requested;
        long firstKept = count == 0 ? lastId + 1 : ring[head].id();
        boolean gap = sinceId > lastId || sinceId < firstKept - 1;
        long from = sinceId > lastId ? 0 : sinceId; // an unknown future id: everything kept
        return newest(from, count, maxBytes, gap);
    }

    /**
     * The newest {@code most} kept messages, at most {@code maxBytes} of bodies, for a first subscription that rewinds:
     * it asked for the newest, so it has missed nothing, and there is no gap.
     */
    synchronized CatchUp latest(int most, long nowNanos, long maxBytes) {
        expire(nowNanos);
        return newest(0, most, maxBytes, false).asRewind();
    }

    /** Kept messages with ids above {@code from}, the newest {@code most} whose bodies fit; a gap when bytes cut. */
    private CatchUp newest(long from, int most, long maxBytes, boolean gap) {
        List<KeptMessage> entries = new ArrayList<>();
        long taken = 0;
        for (int i = count - 1; i >= 0 && entries.size() < most; i--) { // newest first: a byte limit keeps the newest
            Entry entry = ring[(head + i) % ring.length];
            if (entry.id() <= from) {
                break;
            }
            if (taken + entry.body().length > maxBytes) {
                gap = true;
                break;
            }
            taken += entry.body().length;
            entries.add(new KeptMessage(entry.id(), entry.body(), entry.binary()));
        }
        Collections.reverse(entries);
        return new CatchUp(entries, gap, lastId);
    }

    synchronized long lastId() {
        return lastId;
    }

    synchronized int size() {
        return count;
    }

    /** Body bytes kept. */
    synchronized long bytes() {
        return bytes;
    }

    /** Drops the entries older than the ttl (also done on every append and read). */
    synchronized void expireNow(long nowNanos) {
        expire(nowNanos);
    }

    private void expire(long nowNanos) {
        while (count > 0 && nowNanos - ring[head].storedNanos() > ttlNanos) {
            dropOldest();
        }
    }

    private void dropOldest() {
        Entry oldest = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        count--;
        bytes -= oldest.body().length;
        totalBytes.add(-oldest.body().length);
    }
}
