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

    /** On the loop: writes every queued message to every subscriber, then flushes each subscriber once. */
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
        // A copy of each frame for this loop: every write takes a share of it, and a share of a frame shared with
        // other loops would bounce its reference count between cores. Each form is copied when the first subscriber
        // that takes it comes up, so a loop without JSON or SSE subscribers never makes those.
        ByteBuf[][] copies = new ByteBuf[FrameForm.values().length][];
        try {
            for (Subscriber subscriber : subscribers) {
                FrameForm form = subscriber.form();
                if (copies[form.ordinal()] == null) {
                    copies[form.ordinal()] = new ByteBuf[batch.size()];
                    copy(batch, form, copies[form.ordinal()]);
                }
                write(subscriber, batch, copies[form.ordinal()], sent);
            }
        } finally { // whatever happened, the publishes complete and their frames are released
            for (int i = 0; i < sent.length; i++) {
                for (ByteBuf[] frames : copies) {
                    if (frames != null && frames[i] != null) {
                        frames[i].release();
                    }
                }
                backlog.written(batch.get(i));
                batch.get(i).loopDone(sent[i]);
            }
        }
    }

    /** Fills {@code copies} (already assigned by the caller, so a failure halfway still releases what was made). */
    private static void copy(List<Publication> batch, FrameForm form, ByteBuf[] copies) {
        for (int i = 0; i < copies.length; i++) {
            ByteBuf frame = batch.get(i).frame(form);
            copies[i] = frame == null ? null : frame.copy(); // null: a loss signal, which has no raw frame
        }
    }

    private void write(Subscriber subscriber, List<Publication> batch, ByteBuf[] frames, int[] sent) {
        for (int i = 0; i < sent.length; i++) {
            if (frames[i] == null) { // a loss signal to a raw subscriber: only a close can tell it
                subscriber.close(Farewell.MESSAGES_LOST);
                sent[i]++;
                break; // what was written goes out ahead of the close frame
            }
            Subscriber.Delivery delivery = subscriber.write(frames[i], batch.get(i).id);
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
