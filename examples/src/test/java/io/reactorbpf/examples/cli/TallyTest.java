package io.reactorbpf.examples.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class TallyTest {

    @Test
    void theSummaryCountsWhatWasDeliveredAndLost() {
        Tally tally = new Tally();
        tally.delivered(3);
        tally.lost(2);
        assertTrue(tally.summary().matches("delivered=3 lost=2 seconds=\\d+\\.\\d rate=\\d+\\.\\d/s"), tally.summary());
    }

    @Test
    void aSourceThatCannotCountItsLossesIsNotSaidToHaveLostNothing() {
        Tally tally = new Tally();
        tally.delivered(3);
        tally.lossUncounted();
        assertTrue(tally.summary().startsWith("delivered=3 lost=uncounted "), tally.summary());
    }
}
