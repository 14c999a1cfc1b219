package io.wsc.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The standard scenarios are the shared kit's (shared/bench/scenarios.sh), and options change them. */
class ScenarioTest {

    @Test
    void standardScenariosMatchTheSharedKit() {
        assertEquals(new Scenario("a16", 10_000, 1, 200, 100, 20, 16), Scenario.named("a16"));
        assertEquals(new Scenario("a5", 10_000, 1, 50, 100, 5, 200), Scenario.named("a5"));
        assertEquals(new Scenario("b", 10_000, 1_000, 20_000, 100, 0, 16), Scenario.named("b"));
        assertEquals(500_000, Scenario.named("a5").expectedDeliveries());
        assertEquals(200_000, Scenario.named("b").expectedDeliveries());
    }

    @Test
    void expectedDeliveriesCountUnevenChannels() {
        // 7 subscribers on 3 channels (3, 2, 2), 5 messages (2, 2, 1)
        Scenario uneven = new Scenario("x", 7, 3, 5, 100, 0, 1);
        assertEquals(3 * 2 + 2 * 2 + 2 * 1, uneven.expectedDeliveries());
        assertEquals(1, uneven.messagesOn(2));
    }

    @Test
    void multiplexedScenarioSpreadsConnectionsEvenlyAndMatchesItsSingleChannelTwin() {
        Scenario m = Scenario.named("m");
        int[] connectionsOf = new int[m.channels()];
        for (int connection = 0; connection < m.subs(); connection++) {
            int[] of = m.channelsOf(connection);
            assertEquals(10, java.util.Arrays.stream(of).distinct().count(), "distinct channels of " + connection);
            for (int channel : of) {
                connectionsOf[channel]++;
            }
        }
        assertTrue(java.util.Arrays.stream(connectionsOf).allMatch(count -> count == 100));
        assertEquals(100_000, m.subscriptions());
        assertEquals(200_000, m.expectedDeliveries());
        assertEquals(m.expectedDeliveries(), Scenario.named("m1").expectedDeliveries());
        assertTrue(Scenario.named("m1").jsonFrames());
        assertArrayEquals(new int[] { 7 }, Scenario.named("b").channelsOf(1_007));
    }

    @Test
    void severalChannelsPerConnectionNeedJsonFramesAndEnoughChannels() {
        assertThrows(IllegalArgumentException.class, () -> Scenario.named("b")
                .with(Arguments.parse(new String[] { "--channels-per-connection", "2" }, Map.of())));
        assertThrows(IllegalArgumentException.class, () -> Scenario.named("smoke").with(Arguments.parse(
                new String[] { "--channels-per-connection", "6", "--frames", "json" }, Map.of())));
        assertThrows(IllegalArgumentException.class, () -> Scenario.named("smoke")
                .with(Arguments.parse(new String[] { "--frames", "xml" }, Map.of())));
    }

    @Test
    void multiplexedFramesAreCountedOnTheirChannelsLedger() {
        String[] names = { "bench/x/c1", "bench/x/c11" };
        DeliveryLedger[] ledgers = { new DeliveryLedger(1), new DeliveryLedger(11) };
        assertSame(ledgers[1], SubscriberFleet.ledgerOf("{\"channel\":\"bench/x/c11\",\"id\":\"5\",\"data\":\"0:1:x\"}",
                names, ledgers));
        assertSame(ledgers[0], SubscriberFleet.ledgerOf("{\"channel\":\"bench/x/c1\",\"id\":\"5\",\"data\":\"0:1:x\"}",
                names, ledgers));
        assertNull(SubscriberFleet.ledgerOf("{\"channel\":\"bench/x/c2\",\"data\":\"0:1:x\"}", names, ledgers));
        assertNull(SubscriberFleet.ledgerOf("{\"id\":\"5\",\"data\":\"0:1:x\"}", names, ledgers));
    }

    @Test
    void optionsChangeTheNamedScenario() {
        Arguments args = Arguments.parse(new String[] { "b", "--subs", "2000", "--rate=50" }, Map.of());
        assertEquals(new Scenario("b", 2_000, 1_000, 20_000, 100, 50, 16), Scenario.named("b").with(args));
    }

    @Test
    void unknownScenariosAndOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Scenario.named("z"));
        assertThrows(IllegalArgumentException.class,
                () -> Arguments.parse(new String[] { "--sub", "5" }, Map.of()).only(java.util.List.of("subs")));
        assertThrows(IllegalArgumentException.class, () -> Scenario.CUSTOM
                .with(Arguments.parse(new String[] { "--concurrency", "0" }, Map.of())));
    }
}
