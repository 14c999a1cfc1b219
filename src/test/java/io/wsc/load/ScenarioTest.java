package io.wsc.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
