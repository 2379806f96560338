package io.github.jglommio;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    private static final double[] PERCENTILES = {0, 0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100};

    @Test
    void shouldReportPercentilesWithinTheRelativeErrorOfTheSortedSamples() {
        SplittableRandom random = new SplittableRandom(42);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + random.nextInt(20_000);
            long[] samples = new long[n];
            LatencyHistogram h = new LatencyHistogram(60_000_000L);
            for (int i = 0; i < n; i++) {
                // Log-uniform from 1 to ~6e7, so every decade of the range is exercised.
                samples[i] = (long) Math.exp(random.nextDouble() * Math.log(60_000_000.0));
                h.record(samples[i]);
            }
            Arrays.sort(samples);
            for (double p : PERCENTILES) {
                long rank = Math.max(1, (long) Math.ceil(p * n / 100));
                long expected = samples[(int) rank - 1];
                long got = h.valueAtPercentile(p);
                assertTrue(got >= expected && got <= expected + expected * LatencyHistogram.MAX_RELATIVE_ERROR,
                        "p" + p + " of " + n + " samples: expected " + expected + ", got " + got);
            }
            assertEquals(n, h.count());
            assertEquals(samples[0], h.min());
            assertEquals(samples[n - 1], h.max());
            assertEquals(samples[0], h.valueAtPercentile(0));
            assertEquals(samples[n - 1], h.valueAtPercentile(100));
            assertEquals(Arrays.stream(samples).average().orElseThrow(), h.mean(), 1e-6);
        }
    }

    @Test
    void shouldKeepSmallValuesExact() {
        LatencyHistogram h = new LatencyHistogram(1_000);
        for (long v = 0; v < 512; v++) {
            h.reset();
            h.record(v);
            h.record(v + 1_000);
            assertEquals(v, h.valueAtPercentile(50), "exact below 512");
        }
        h.reset();
        for (long v = 0; v < 100; v++) {
            h.record(v);
        }
        for (int p = 1; p <= 100; p++) {
            assertEquals(p - 1, h.valueAtPercentile(p));
        }
    }

    @Test
    void shouldPlaceBucketBoundsContiguously() {
        long previousHigh = -1;
        for (int b = 0; b < LatencyHistogram.bucketOf(Long.MAX_VALUE); b++) {
            long low = LatencyHistogram.lowestInBucket(b);
            long high = LatencyHistogram.highestInBucket(b);
            assertEquals(previousHigh + 1, low, "bucket " + b);
            assertEquals(b, LatencyHistogram.bucketOf(low));
            assertEquals(b, LatencyHistogram.bucketOf(high));
            assertTrue(high - low <= low * LatencyHistogram.MAX_RELATIVE_ERROR, "bucket " + b + " too wide");
            previousHigh = high;
        }
        assertEquals(Long.MAX_VALUE, LatencyHistogram.highestInBucket(LatencyHistogram.bucketOf(Long.MAX_VALUE)));
    }

    @Test
    void shouldHandleEdgeValues() {
        LatencyHistogram empty = new LatencyHistogram(1_000);
        assertEquals(0, empty.count());
        assertEquals(0, empty.min());
        assertEquals(0, empty.max());
        assertEquals(0, empty.mean());
        assertEquals(0, empty.valueAtPercentile(99));

        LatencyHistogram h = new LatencyHistogram(Long.MAX_VALUE);
        h.record(0);
        h.record(Long.MAX_VALUE);
        assertEquals(0, h.valueAtPercentile(50));
        assertEquals(Long.MAX_VALUE, h.valueAtPercentile(51));
        assertEquals(Long.MAX_VALUE, h.max());

        assertThrows(IllegalArgumentException.class, () -> h.record(-1));
        assertThrows(IllegalArgumentException.class, () -> h.valueAtPercentile(-0.1));
        assertThrows(IllegalArgumentException.class, () -> h.valueAtPercentile(100.1));
        assertThrows(IllegalArgumentException.class, () -> h.valueAtPercentile(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new LatencyHistogram(0));
    }

    @Test
    void shouldCountValuesAboveTheRangeInTheTopBucket() {
        LatencyHistogram h = new LatencyHistogram(1_000);
        for (int i = 0; i < 98; i++) {
            h.record(10);
        }
        h.record(5_000_000);
        h.record(7_000_000);
        assertEquals(100, h.count());
        assertEquals(7_000_000, h.max());
        assertEquals(10, h.valueAtPercentile(98));
        assertEquals(7_000_000, h.valueAtPercentile(99), "the top bucket reports the max");
    }

    @Test
    void shouldMergeLikeOneHistogramOfAllTheValues() {
        SplittableRandom random = new SplittableRandom(7);
        LatencyHistogram all = new LatencyHistogram(1_000_000);
        LatencyHistogram a = new LatencyHistogram(1_000_000);
        LatencyHistogram b = new LatencyHistogram(10_000_000);
        for (int i = 0; i < 10_000; i++) {
            long v = random.nextLong(1_000_000);
            all.record(v);
            (i % 3 == 0 ? a : b).record(v);
        }
        LatencyHistogram merged = new LatencyHistogram(1_000_000);
        merged.add(a);
        merged.add(b);
        assertEquals(all.count(), merged.count());
        assertEquals(all.min(), merged.min());
        assertEquals(all.max(), merged.max());
        assertEquals(all.mean(), merged.mean(), 1e-9);
        for (double p : PERCENTILES) {
            assertEquals(all.valueAtPercentile(p), merged.valueAtPercentile(p), "p" + p);
        }
        merged.add(new LatencyHistogram(10));
        assertEquals(all.min(), merged.min(), "an empty histogram changes nothing");
        assertEquals(all.count(), merged.count());
    }

    @Test
    void shouldSubtractAnEarlierCopyToLeaveTheInterval() {
        LatencyHistogram h = new LatencyHistogram(60_000_000L);
        for (int i = 0; i < 1_000; i++) {
            h.record(5);
        }
        LatencyHistogram before = h.copy();
        for (int i = 0; i < 100; i++) {
            h.record(10_000 + i);
        }
        assertEquals(1_000, before.count(), "a copy does not see later values");
        LatencyHistogram interval = h.copy();
        interval.subtract(before);
        assertEquals(100, interval.count());
        assertEquals(10_049.5, interval.mean(), 1e-9);
        assertTrue(interval.min() >= 10_000 * (1 - LatencyHistogram.MAX_RELATIVE_ERROR) && interval.min() <= 10_000,
                "min " + interval.min());
        assertEquals(10_099, interval.max());
        long p50 = interval.valueAtPercentile(50);
        assertTrue(p50 >= 10_049 && p50 <= 10_049 * (1 + LatencyHistogram.MAX_RELATIVE_ERROR), "p50 " + p50);

        LatencyHistogram unrelated = new LatencyHistogram(60_000_000L);
        unrelated.record(77);
        assertThrows(IllegalArgumentException.class, () -> interval.subtract(unrelated));
        assertEquals(100, interval.count(), "a refused subtraction leaves the histogram as it was");

        interval.subtract(interval.copy());
        assertEquals(0, interval.count());
        assertEquals(0, interval.max());
    }

    @Test
    void shouldForgetEverythingOnReset() {
        LatencyHistogram h = new LatencyHistogram(1_000);
        h.record(3);
        h.record(900);
        h.reset();
        assertEquals(0, h.count());
        assertEquals(0, h.valueAtPercentile(100));
        h.record(4);
        assertEquals(4, h.min());
        assertEquals(4, h.max());
        assertEquals(4, h.valueAtPercentile(50));
    }
}
