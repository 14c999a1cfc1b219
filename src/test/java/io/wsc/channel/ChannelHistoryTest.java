package io.wsc.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

class ChannelHistoryTest {

    private static final long TTL = 1_000;
    private static final long ALL = Long.MAX_VALUE;
    private final LongAdder total = new LongAdder();

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Long> ids(CatchUp catchUp) {
        return catchUp.messages().stream().map(KeptMessage::id).toList();
    }

    @Test
    void idsFollowTheChannelSequence() {
        ChannelHistory history = new ChannelHistory(3, TTL, total, 0);
        assertEquals(1, history.append(body("a"), false, 0));
        assertEquals(2, history.append(body("b"), false, 0));
        assertEquals(3, history.append(body("c"), true, 0));
        assertEquals(3, history.lastId());
    }

    /** After a restart (a new history), an id of the old sequence gets a gap, even once the new one ran past it. */
    @Test
    void aNewSequenceStartsAboveTheOldOneSoOldIdsGetAGap() throws InterruptedException {
        ChannelHistory before = new ChannelHistory(10, TTL, total);
        long old = 0;
        for (int i = 0; i < 5; i++) {
            old = before.append(body("old"), false, 0);
        }
        Thread.sleep(2); // the next millisecond, as a restart is
        ChannelHistory after = new ChannelHistory(10, TTL, total);
        long first = after.append(body("new 1"), false, 0);
        after.append(body("new 2"), false, 0);
        assertTrue(first > old, first + " > " + old);
        CatchUp resumed = after.since(old, 0, ALL);
        assertTrue(resumed.gap());
        assertEquals(2, resumed.messages().size());
        CatchUp fromTheStart = after.since(0, 0, ALL);
        assertFalse(fromTheStart.gap(), "since=0 is the start of this sequence: nothing lost");
        assertEquals(2, fromTheStart.messages().size());
    }

    @Test
    void keepsAtMostSizeEntriesAndCountsTheirBytes() {
        ChannelHistory history = new ChannelHistory(3, TTL, total, 0);
        for (int i = 1; i <= 5; i++) {
            history.append(body("m" + i), false, 0);
        }
        assertEquals(3, history.size());
        assertEquals(6, history.bytes());
        assertEquals(6, total.sum());
    }

    @Test
    void sinceReturnsWhatFollowsWithoutGap() {
        ChannelHistory history = new ChannelHistory(10, TTL, total, 0);
        for (int i = 1; i <= 5; i++) {
            history.append(body("m" + i), false, 0);
        }
        CatchUp catchUp = history.since(2, 0, ALL);
        assertEquals(List.of(3L, 4L, 5L), ids(catchUp));
        assertFalse(catchUp.gap());
        assertEquals("m3", new String(catchUp.messages().get(0).body(), StandardCharsets.UTF_8));
        assertTrue(history.since(5, 0, ALL).messages().isEmpty());
        assertFalse(history.since(5, 0, ALL).gap());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids(history.since(0, 0, ALL)));
        assertFalse(history.since(0, 0, ALL).gap());
    }

    @Test
    void aSinceOlderThanWhatIsKeptIsAGap() {
        ChannelHistory history = new ChannelHistory(3, TTL, total, 0);
        for (int i = 1; i <= 6; i++) {
            history.append(body("m" + i), false, 0);
        }
        CatchUp justKept = history.since(3, 0, ALL);
        assertEquals(List.of(4L, 5L, 6L), ids(justKept));
        assertFalse(justKept.gap());
        CatchUp lost = history.since(1, 0, ALL);
        assertEquals(List.of(4L, 5L, 6L), ids(lost));
        assertTrue(lost.gap());
    }

    @Test
    void entriesExpireAfterTtl() {
        ChannelHistory history = new ChannelHistory(10, TTL, total, 0);
        history.append(body("old"), false, 0);
        history.append(body("new"), false, 600);
        CatchUp catchUp = history.since(0, 1_200, ALL);
        assertEquals(List.of(2L), ids(catchUp));
        assertTrue(catchUp.gap());
        assertEquals(1, history.size());
        CatchUp allGone = history.since(1, 5_000, ALL);
        assertTrue(allGone.messages().isEmpty());
        assertTrue(allGone.gap());
        assertFalse(history.since(2, 5_000, ALL).gap());
        assertEquals(0, total.sum());
        assertEquals(3, history.append(body("next"), false, 5_000));
    }

    @Test
    void anIdAheadOfTheSequenceIsAGapWithEverythingKept() {
        ChannelHistory history = new ChannelHistory(10, TTL, total, 0);
        history.append(body("a"), false, 0);
        history.append(body("b"), false, 0);
        CatchUp catchUp = history.since(99, 0, ALL);
        assertEquals(List.of(1L, 2L), ids(catchUp));
        assertTrue(catchUp.gap());
    }

    @Test
    void aByteLimitKeepsTheNewestAndReportsAGap() {
        ChannelHistory history = new ChannelHistory(10, TTL, total, 0);
        for (int i = 1; i <= 5; i++) {
            history.append(new byte[10], false, 0);
        }
        CatchUp catchUp = history.since(0, 0, 25);
        assertEquals(List.of(4L, 5L), ids(catchUp));
        assertTrue(catchUp.gap());
    }

    @Test
    void expiringWithoutTrafficReleasesTheBytes() {
        ChannelHistory history = new ChannelHistory(10, TTL, total, 0);
        history.append(body("abc"), false, 0);
        history.expireNow(500);
        assertEquals(3, total.sum());
        history.expireNow(2_000);
        assertEquals(0, total.sum());
        assertEquals(0, history.size());
    }
}
