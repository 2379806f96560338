package io.github.jglommio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MediansTest {

    private static final double NAN = Double.NaN;

    @Test
    void shouldTakeTheMiddleValueOrTheMeanOfTheMiddleTwo() {
        assertEquals(2.0, Medians.median(new double[] {3, 1, 2}));
        assertEquals(2.5, Medians.median(new double[] {4, 1, 3, 2}));
        assertEquals(7.0, Medians.median(new double[] {7}));
    }

    @Test
    void shouldIgnoreMissingRuns() {
        assertEquals(2.0, Medians.median(new double[] {NAN, 3, 1}));
        assertTrue(Double.isNaN(Medians.median(new double[] {NAN})));
        assertTrue(Double.isNaN(Medians.median(new double[0])));
    }

    @Test
    void shouldPairRunsRoundByRound() {
        // A drift that quadruples both sides' speed in round 2 leaves every round's ratio at 0.5.
        double[] ours = {1, 4, 1.5};
        double[] reference = {2, 8, 3};
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, Medians.ratios(ours, reference), 1e-12);
        assertEquals(0.5, Medians.medianOfRatios(ours, reference), 1e-12);
    }

    @Test
    void shouldDifferFromTheRatioOfMediansUnderDrift() {
        double[] ours = {9, 1, 2};
        double[] reference = {10, 4, 1};
        // Ratios 0.9, 0.25, 2.0: median 0.9. Medians 2 and 4 would give 0.5.
        assertEquals(0.9, Medians.medianOfRatios(ours, reference), 1e-12);
    }

    @Test
    void shouldSkipRoundsWhereEitherSideIsMissing() {
        double[] ours = {1, NAN, 3, 5};
        double[] reference = {2, 2, NAN, 10};
        assertEquals(0.5, Medians.medianOfRatios(ours, reference), 1e-12);
        assertTrue(Double.isNaN(Medians.medianOfRatios(new double[] {NAN}, new double[] {1})));
        assertTrue(Double.isNaN(Medians.medianOfRatios(new double[] {1}, new double[] {0})));
    }

    @Test
    void shouldRefuseUnpairedRuns() {
        assertThrows(IllegalArgumentException.class, () -> Medians.ratios(new double[2], new double[3]));
    }
}
