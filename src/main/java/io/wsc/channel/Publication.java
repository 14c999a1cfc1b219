package io.wsc.channel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;

/**
 * One message on its way to the event loops that hold its channel's subscribers. Each loop reports how many of its
 * subscribers it wrote the frame to; when the last one has, the frame is released and {@link #done} completes with
 * the total, for the publish receipt.
 */
final class Publication {

    final ByteBuf frame;
    final int bodyLength;
    final long startNanos = System.nanoTime();
    final CompletableFuture<Integer> done = new CompletableFuture<>();
    /** Loops still to write, plus one for the dispatcher, so that no loop can finish it while it is being handed out. */
    private final AtomicInteger pending = new AtomicInteger(1);
    private final AtomicInteger recipients = new AtomicInteger();

    Publication(ByteBuf frame, int bodyLength) {
        this.frame = frame;
        this.bodyLength = bodyLength;
    }

    /** Called before handing the publication to one more loop. */
    void expectLoop() {
        pending.incrementAndGet();
    }

    /** A loop (or, with 0, the dispatcher) is done with it. */
    void loopDone(int sent) {
        if (sent > 0) {
            recipients.addAndGet(sent);
        }
        if (pending.decrementAndGet() == 0) {
            frame.release();
            done.complete(recipients.get());
        }
    }
}
