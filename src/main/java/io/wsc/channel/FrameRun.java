package io.wsc.channel;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A loop's batch of messages in one frame form, copied for that loop: their frames back to back in one buffer, so a
 * subscriber that takes them all gets them with one write into its pipeline, and one system call. Each frame is also a
 * slice of that buffer, for subscribers that must take them one by one (resumed, held, short of room).
 * <p>
 * The copy is the loop's own: every write takes a share of it, and a share of a buffer shared with other loops would
 * bounce its reference count between cores.
 */
final class FrameRun {

    /** Every frame, in batch order. */
    private final ByteBuf joined;
    /** Each message's frame, a slice of {@link #joined}; null for a loss signal, which has no raw frame. */
    private final ByteBuf[] frames;
    private final boolean complete;
    /** The lowest id above 0 in the batch ({@link Long#MAX_VALUE}: none), for skipping what a catch-up sent. */
    private final long lowestId;

    private FrameRun(ByteBuf joined, ByteBuf[] frames, boolean complete, long lowestId) {
        this.joined = joined;
        this.frames = frames;
        this.complete = complete;
        this.lowestId = lowestId;
    }

    static FrameRun of(List<Publication> batch, FrameForm form) {
        ByteBuf[] sources = new ByteBuf[batch.size()];
        int length = 0;
        long lowestId = Long.MAX_VALUE;
        for (int i = 0; i < sources.length; i++) {
            Publication publication = batch.get(i);
            sources[i] = publication.frame(form);
            length += sources[i] == null ? 0 : sources[i].readableBytes();
            if (publication.id > 0) {
                lowestId = Math.min(lowestId, publication.id);
            }
        }
        ByteBuf joined = ByteBufAllocator.DEFAULT.directBuffer(length); // direct: what the epoll transport writes
        ByteBuf[] frames = new ByteBuf[sources.length];
        boolean complete = true;
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] == null) {
                complete = false;
                continue;
            }
            int start = joined.writerIndex();
            joined.writeBytes(sources[i], sources[i].readerIndex(), sources[i].readableBytes());
            frames[i] = joined.slice(start, sources[i].readableBytes());
        }
        return new FrameRun(joined, frames, complete, lowestId);
    }

    /** All the frames in one buffer, or null when some message has no frame in this form (a raw loss signal). */
    ByteBuf whole() {
        return complete ? joined : null;
    }

    /** Message {@code i}'s frame (shared with the run; the caller retains what it keeps), or null: a loss signal. */
    ByteBuf frame(int i) {
        return frames[i];
    }

    long lowestId() {
        return lowestId;
    }

    void release() {
        joined.release(); // the slices are views of it
    }
}
