package io.wsc.channel;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * What a resuming subscriber gets from history: the kept messages after its id, oldest first, and whether some it missed
 * are no longer kept (or were never known), which it must be told about.
 *
 * @param lastId the channel's last id when history was read: live copies of messages up to it are skipped
 */
public record CatchUp(List<KeptMessage> messages, boolean gap, long lastId) {

    /**
     * Body bytes one resuming subscriber's catch-up may bring (the newest that fit; a gap says the rest is lost): a
     * quarter of what a subscriber may have pending, since JSON (base64, escapes) is larger than the bodies. Every broker
     * applies the same bound.
     */
    public static long byteBudget(int maxPendingBytes) {
        return maxPendingBytes / 4L;
    }

    /** History is off: whatever the subscriber missed is lost, and it must be told. */
    public static CatchUp historyOff() {
        return new CatchUp(List.of(), true, 0);
    }

    /** History is on but nothing of the channel is kept: a subscriber resuming after a real id has lost what came since. */
    public static CatchUp nothingKept(long since) {
        return new CatchUp(List.of(), since > 0, 0);
    }

    /**
     * The newest messages whose bodies fit in {@code bodyBytes}, with a gap when some are left out: a connection with
     * several channels shares one catch-up's budget among them, so that together they fit in its pending allowance.
     */
    public CatchUp newestWithin(long bodyBytes) {
        long total = 0;
        int first = messages.size();
        while (first > 0 && total + messages.get(first - 1).body().length <= bodyBytes) {
            total += messages.get(--first).body().length;
        }
        return first == 0 ? this : new CatchUp(messages.subList(first, messages.size()), true, lastId);
    }

    /** No history: what a rewind gets when nothing is kept. */
    public static CatchUp noneKept() {
        return new CatchUp(List.of(), false, 0);
    }

    /**
     * This catch-up as a rewind's ({@code ?rewind=N}): the subscriber asked for the newest messages, not for all it
     * missed, so those left out (by N, or by the byte budget) are no gap.
     */
    public CatchUp asRewind() {
        return gap ? new CatchUp(messages, false, lastId) : this;
    }

    /** One frame of a catch-up and the id of its message; 0 for a signal. */
    record Frame(ByteBuf bytes, long id) {
    }

    /**
     * In the subscriber's form, in order: the gap signal if any, the messages, then the caught-up signal. Raw frames
     * carry no signals: a raw subscriber only rewinds, which has no gap, and gets the messages alone.
     */
    List<Frame> frames(FrameForm form, String channelId, long since) {
        List<Frame> frames = new ArrayList<>(messages.size() + 2);
        if (form != FrameForm.RAW && gap) {
            long next = messages.isEmpty() ? (lastId > 0 ? lastId + 1 : 0) : messages.get(0).id(); // 0: unknown
            frames.add(new Frame(form.gap(channelId, since, next), 0));
        }
        for (KeptMessage message : messages) {
            frames.add(new Frame(form.encode(channelId, message.id(), message.body(), message.binary()), message.id()));
        }
        if (form != FrameForm.RAW) {
            frames.add(new Frame(form.caughtUp(channelId, messages.size()), 0));
        }
        return frames;
    }
}
