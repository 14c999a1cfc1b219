package io.wsc.channel;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;

/**
 * The subscribers of one channel that live on one event loop, and the messages queued for them. A publish from any
 * thread costs this loop one queued task at most, however many subscribers it holds: writing to another loop's socket
 * directly would queue one task per subscriber. Messages that pile up while the loop is busy go out together, with
 * one flush (one system call) per subscriber.
 */
final class LoopGroup implements Runnable {

    private final EventLoop loop;
    private final FanOutBacklog backlog;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final Queue<Publication> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable onEviction;

    LoopGroup(EventLoop loop, FanOutBacklog backlog, Runnable onEviction) {
        this.loop = loop;
        this.backlog = backlog;
        this.onEviction = onEviction;
    }

    boolean add(Subscriber subscriber) {
        return subscribers.add(subscriber);
    }

    boolean remove(Subscriber subscriber) {
        return subscribers.remove(subscriber);
    }

    int size() {
        return subscribers.size();
    }

    Set<Subscriber> subscribers() {
        return subscribers;
    }

    /** What is queued on this group's loop, across channels. */
    FanOutBacklog backlog() {
        return backlog;
    }

    /** Queues the message for this loop's subscribers; queue order is the order they receive messages in. */
    void offer(Publication publication) {
        publication.expectLoop();
        backlog.queued(publication);
        queue.offer(publication);
        if (scheduled.compareAndSet(false, true)) {
            loop.execute(this);
        }
    }

    /**
     * On the loop: writes every queued message to every subscriber, then flushes each subscriber once. A subscriber
     * that takes the whole batch gets it as one buffer, so a burst costs it one write into its pipeline, not one per
     * message.
     */
    @Override
    public void run() {
        scheduled.set(false); // before draining: a message offered from now on schedules another run
        List<Publication> batch = new ArrayList<>();
        for (Publication p = queue.poll(); p != null; p = queue.poll()) {
            batch.add(p);
        }
        if (batch.isEmpty()) {
            return;
        }
        int[] sent = new int[batch.size()];
        int tookAll = 0; // subscribers that took the whole batch in one write
        // Each form's run is made when the first subscriber that takes it comes up, so a loop without JSON or SSE
        // subscribers never makes those.
        FrameRun[] runs = new FrameRun[FrameForm.COUNT];
        try {
            for (Subscriber subscriber : subscribers) {
                FrameForm form = subscriber.form();
                if (runs[form.ordinal()] == null) {
                    runs[form.ordinal()] = FrameRun.of(batch, form);
                }
                FrameRun run = runs[form.ordinal()];
                if (subscriber.writeAll(run.whole(), run.lowestId())) {
                    subscriber.flush();
                    tookAll++;
                } else {
                    writeEach(subscriber, batch, run, sent);
                }
            }
        } finally { // whatever happened, the publishes complete and their frames are released
            for (FrameRun run : runs) {
                if (run != null) {
                    run.release();
                }
            }
            for (int i = 0; i < sent.length; i++) {
                Publication publication = batch.get(i);
                backlog.written(publication);
                publication.loopDone(publication.isLossSignal() ? sent[i] : sent[i] + tookAll);
            }
        }
    }

    /** One frame at a time, for a subscriber that cannot take the batch in one write. */
    private void writeEach(Subscriber subscriber, List<Publication> batch, FrameRun run, int[] sent) {
        for (int i = 0; i < sent.length; i++) {
            ByteBuf frame = run.frame(i);
            if (frame == null) { // a loss signal to a raw subscriber: only a close can tell it
                subscriber.close(Farewell.MESSAGES_LOST);
                sent[i]++;
                break; // what was written goes out ahead of the close frame
            }
            Subscriber.Delivery delivery = subscriber.write(frame, batch.get(i).id);
            if (delivery == Subscriber.Delivery.EVICTED) {
                onEviction.run(); // the connection is gone with whatever was written to it
                return;
            }
            if (delivery == Subscriber.Delivery.CLOSED) {
                break; // closing: what was written still goes out ahead of the close frame
            }
            if (delivery == Subscriber.Delivery.SENT && !batch.get(i).isLossSignal()) {
                sent[i]++;
            }
        }
        subscriber.flush();
    }
}
