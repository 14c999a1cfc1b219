package io.wsc.channel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;

/**
 * One message on its way to the event loops that hold its channel's subscribers. Each loop reports how many of its
 * subscribers it wrote the frame to; when the last one has, the frame is released and {@link #done} completes with
 * the total, for the publish receipt. Its other forms ({@link FrameForm}) are made at most once, when the first loop with
 * a subscriber that takes them asks for one.
 * <p>
 * A {@link #lossSignal} takes the same way, so it reaches each subscriber between the messages around the loss: a
 * gap frame or event for JSON and SSE subscribers; no raw frame (raw subscribers are closed instead), and
 * {@link #done} counts those closes.
 */
final class Publication {

    final int bodyLength;
    /** The message's id in its channel; 0 when history is off. */
    final long id;
    private final Message message;
    /** The raw frame, made by the dispatcher: what most subscribers take, read without a lock; null for a loss signal. */
    private final ByteBuf raw;
    /** The channel it belongs to, which the multiplexed forms name. */
    private final String channelId;
    /** For a loss signal: the id of the last message before the loss, and of the next one known (0: unknown). */
    private final long lostAfter;
    private final long nextAfterLoss;
    /** The other forms, by ordinal, made on first use (guarded by this). */
    private final ByteBuf[] forms = new ByteBuf[FrameForm.COUNT];
    final long startNanos = System.nanoTime();
    final CompletableFuture<Integer> done = new CompletableFuture<>();
    /** Loops still to write, plus one for the dispatcher, so that no loop can finish it while it is being handed out. */
    private final AtomicInteger pending = new AtomicInteger(1);
    private final AtomicInteger recipients = new AtomicInteger();

    Publication(ByteBuf frame, Message message, long id) {
        this.bodyLength = message.body().length;
        this.message = message;
        this.channelId = message.channelId();
        this.id = id;
        this.raw = frame;
        this.lostAfter = 0;
        this.nextAfterLoss = 0;
    }

    private Publication(String channelId, long lostAfter, long nextAfterLoss) {
        this.bodyLength = 0;
        this.message = null;
        this.channelId = channelId;
        this.id = 0;
        this.raw = null;
        this.lostAfter = lostAfter;
        this.nextAfterLoss = nextAfterLoss;
    }

    /** Tells the subscribers that the messages after id {@code since} up to {@code next} (0: unknown) are lost. */
    static Publication lossSignal(String channelId, long since, long next) {
        return new Publication(channelId, since, next);
    }

    boolean isLossSignal() {
        return message == null;
    }

    /**
     * The frame in this form, shared by the loops; called by them before their {@link #loopDone}. Null for a loss
     * signal's raw form: raw frames cannot carry it.
     */
    ByteBuf frame(FrameForm form) {
        return form == FrameForm.RAW ? raw : made(form);
    }

    private synchronized ByteBuf made(FrameForm form) {
        ByteBuf made = forms[form.ordinal()];
        if (made == null) {
            made = message == null ? form.gap(channelId, lostAfter, nextAfterLoss)
                    : form.encode(channelId, id, message.body(), message.binary());
            forms[form.ordinal()] = made;
        }
        return made;
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
            if (raw != null) {
                raw.release();
            }
            synchronized (this) {
                for (ByteBuf made : forms) {
                    if (made != null) {
                        made.release();
                    }
                }
            }
            done.complete(recipients.get());
        }
    }
}
