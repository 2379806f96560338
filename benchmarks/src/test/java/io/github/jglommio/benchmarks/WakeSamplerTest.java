package io.github.jglommio.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WakeSamplerTest {

    @Test
    void shouldTakeNearestRankPercentiles() {
        long[] delays = new long[200];
        for (int i = 0; i < delays.length; i++) {
            delays[i] = delays.length - i; // 200 .. 1, unsorted on purpose
        }
        WakeSampler.Summary s = WakeSampler.Summary.of(delays, 0.5, 42);
        assertEquals(100, s.p50Ns());
        assertEquals(198, s.p99Ns());
        assertEquals(200, s.maxNs());
        assertEquals(200, s.count());
        assertFalse(s.isStarved());
        assertEquals(200, delays[0], "the caller's array is left as it was");
    }

    @Test
    void shouldRoundTripTheChildJvmLine() {
        WakeSampler.Summary s = new WakeSampler.Summary(13_000, 29_000, 65_000, 2000, 0.99, 89_000);
        String line = s.toLine("HOG_PARK_1MS");
        assertTrue(WakeSampler.Summary.isLine(line));
        assertEquals("HOG_PARK_1MS", WakeSampler.Summary.nameOf(line));
        assertEquals(s, WakeSampler.Summary.parse(line));

        WakeSampler.Summary starved = WakeSampler.Summary.starved(3, Double.NaN);
        assertTrue(starved.isStarved());
        WakeSampler.Summary back = WakeSampler.Summary.parse(starved.toLine("IDLE"));
        assertTrue(back.isStarved());
        assertEquals(3, back.count());
        assertTrue(Double.isNaN(back.hogShare()));
    }

    @Test
    void shouldRejectLinesOfAnotherShape() {
        assertFalse(WakeSampler.Summary.isLine("WARNING: something"));
        assertThrows(IllegalArgumentException.class, () -> WakeSampler.Summary.parse("RESULT IDLE 1 2 3"));
    }

    @Test
    void shouldTakeTheMiddleOrTheMeanOfTheTwoMiddles() {
        assertEquals(2.0, SchedulingSuite.median(new double[] {3, 1, 2}));
        assertEquals(2.5, SchedulingSuite.median(new double[] {4, 1, 3, 2}));
        assertEquals(2.0, SchedulingSuite.median(new double[] {Double.POSITIVE_INFINITY, 1, 2}));
    }
}
