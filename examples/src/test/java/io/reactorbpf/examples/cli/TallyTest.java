package io.reactorbpf.examples.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TallyTest {

    @Test
    void theSummaryCountsWhatWasDeliveredAndLostOverTheSecondsItIsGiven() {
        Tally tally = new Tally(() -> 2_000_000_000L);
        tally.delivered(3);
        tally.lost(2);
        assertEquals("delivered=3 lost=2 seconds=2.0 rate=1.5/s", tally.summary());
    }

    @Test
    void aSourceThatCannotCountItsLossesIsNotSaidToHaveLostNothing() {
        Tally tally = new Tally(() -> 0);
        tally.delivered(3);
        tally.lossUncounted();
        assertTrue(tally.summary().startsWith("delivered=3 lost=uncounted "), tally.summary());
    }
}
