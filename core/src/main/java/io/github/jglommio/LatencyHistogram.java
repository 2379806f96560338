package io.github.jglommio;

import java.util.Locale;

/**
 * A histogram of non-negative {@code long} values (latencies, in whatever unit the recorder
 * chooses) in fixed memory: count, min, max, mean and the value at any percentile, with copies,
 * merges and interval differences.
 *
 * <p>Precision: values below 512 are kept exactly; larger values share a bucket with the values
 * within {@link #MAX_RELATIVE_ERROR 1/256} of them. {@link #valueAtPercentile} reports the top of
 * the bucket its rank falls in, so it never reports less than the true value at that percentile and
 * at most 1/256 (0.4 %) more. {@link #count}, {@link #min}, {@link #max} and {@link #mean} are exact
 * (but see {@link #subtract}).
 *
 * <p>Range: the constructor's {@code highestTrackableValue} bounds the memory (about 2 KiB per
 * doubling of the range: 40 KiB for 60 s in microseconds, 58 KiB for 60 s in nanoseconds). Larger
 * values are still counted, in the top bucket, and {@link #max} still reports them exactly; a
 * percentile that falls in the top bucket reports {@link #max}.
 *
 * <p>Threading: not thread-safe. One thread records and reads; hand a histogram to another thread
 * through a happens-before edge (a join, a channel) and stop recording into it, or hand over a
 * {@link #copy}. {@link #record} does not allocate.
 *
 * {@snippet :
 * LatencyHistogram h = new LatencyHistogram(60_000_000L); // up to 60 s in microseconds
 * h.record(120);
 * h.record(95);
 * long p99 = h.valueAtPercentile(99.0); // 120
 * }
 */
public final class LatencyHistogram {

    /* Implementation overview
     *
     * Log-linear buckets, as in HdrHistogram: a value v below 2^(SUB_BITS + 1) is its own bucket;
     * above, with s = (index of v's top bit) - SUB_BITS, v lands in bucket (s << SUB_BITS) + (v >>> s):
     * the top SUB_BITS + 1 bits of v select one of 2^SUB_BITS buckets of width 2^s in each doubling.
     * The index is continuous (2^(SUB_BITS+1) is bucket 2^(SUB_BITS+1)) and independent of the
     * histogram's range, so histograms of different ranges merge bucket by bucket; a bucket past
     * the end of a shorter array folds into its top bucket. A bucket's width is at most 1/2^SUB_BITS
     * of its lowest value, which bounds the relative error.
     */

    /** Buckets per doubling is 2^SUB_BITS. */
    private static final int SUB_BITS = 8;
    /** Values below this are exact (one bucket each). */
    private static final long EXACT_BELOW = 1L << (SUB_BITS + 1);

    /** The largest relative amount by which {@link #valueAtPercentile} may exceed the true value. */
    public static final double MAX_RELATIVE_ERROR = 1.0 / (1 << SUB_BITS);

    private final long highestTrackableValue;
    private final long[] counts;
    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max;

    /**
     * An empty histogram that keeps values up to {@code highestTrackableValue} at full precision.
     *
     * @throws IllegalArgumentException if {@code highestTrackableValue < 1}
     */
    public LatencyHistogram(long highestTrackableValue) {
        if (highestTrackableValue < 1) {
            throw new IllegalArgumentException("highestTrackableValue must be at least 1, got " + highestTrackableValue);
        }
        this.highestTrackableValue = highestTrackableValue;
        this.counts = new long[bucketOf(highestTrackableValue) + 1];
    }

    private LatencyHistogram(LatencyHistogram from) {
        this.highestTrackableValue = from.highestTrackableValue;
        this.counts = from.counts.clone();
        this.count = from.count;
        this.sum = from.sum;
        this.min = from.min;
        this.max = from.max;
    }

    /**
     * Records one value.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public void record(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a histogram value cannot be negative, got " + value);
        }
        counts[Math.min(bucketOf(value), counts.length - 1)]++;
        count++;
        sum += value;
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
    }

    /** Values recorded. */
    public long count() {
        return count;
    }

    /** The smallest value recorded, or 0 if none. */
    public long min() {
        return count == 0 ? 0 : min;
    }

    /** The largest value recorded, or 0 if none. */
    public long max() {
        return max;
    }

    /** The mean of the values recorded (exact while their sum fits in a {@code long}), or 0 if none. */
    public double mean() {
        return count == 0 ? 0 : (double) sum / count;
    }

    /** The {@code highestTrackableValue} this histogram was made with. */
    public long highestTrackableValue() {
        return highestTrackableValue;
    }

    /**
     * The value at {@code percentile}: the smallest value (at bucket precision) that at least
     * {@code percentile} % of the recorded values are at or below, so {@code valueAtPercentile(50)}
     * is the median and {@code valueAtPercentile(100)} the {@link #max}. Never below the true value,
     * at most {@link #MAX_RELATIVE_ERROR} above it. 0 if nothing was recorded.
     *
     * @param percentile from 0 to 100
     * @throws IllegalArgumentException if {@code percentile} is outside [0, 100]
     */
    public long valueAtPercentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be between 0 and 100, got " + percentile);
        }
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile * count / 100));
        long seen = 0;
        int top = counts.length - 1;
        for (int i = 0; i < top; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.max(min, Math.min(highestInBucket(i), max));
            }
        }
        return max;
    }

    /** An independent copy of this histogram. */
    public LatencyHistogram copy() {
        return new LatencyHistogram(this);
    }

    /**
     * Adds every value {@code other} recorded to this histogram (a merge: per-thread histograms
     * into one). {@code other} may have a different range; its values above this histogram's range
     * fold into the top bucket.
     */
    public void add(LatencyHistogram other) {
        long[] theirs = other.counts;
        int top = counts.length - 1;
        for (int i = 0; i < theirs.length; i++) {
            if (theirs[i] != 0) {
                counts[Math.min(i, top)] += theirs[i];
            }
        }
        if (other.count != 0) {
            count += other.count;
            sum += other.sum;
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
        }
    }

    /**
     * Removes the values of {@code earlier}, a {@link #copy} of this histogram taken before, leaving
     * the values recorded since: an interval out of cumulative histograms. Count and mean stay
     * exact; min and max become bucket bounds (within the relative error) clamped to the old ones.
     *
     * @throws IllegalArgumentException if {@code earlier} holds values this histogram does not (it
     *                                  is not an earlier copy); this histogram is then unchanged
     */
    public void subtract(LatencyHistogram earlier) {
        long[] theirs = earlier.counts;
        int top = counts.length - 1;
        long[] result = counts.clone();
        for (int i = 0; i < theirs.length; i++) {
            int j = Math.min(i, top);
            result[j] -= theirs[i];
            if (result[j] < 0) {
                throw new IllegalArgumentException("cannot subtract a histogram that is not an earlier copy of this one"
                        + " (it has more values near " + lowestInBucket(j) + ")");
            }
        }
        System.arraycopy(result, 0, counts, 0, counts.length);
        count -= earlier.count;
        sum -= earlier.sum;
        if (count == 0) {
            min = Long.MAX_VALUE;
            max = 0;
            return;
        }
        int first = 0;
        while (counts[first] == 0) {
            first++;
        }
        int last = top;
        while (counts[last] == 0) {
            last--;
        }
        min = Math.max(min, lowestInBucket(first));
        max = last == top ? max : Math.min(max, highestInBucket(last));
    }

    /** Forgets every value. */
    public void reset() {
        java.util.Arrays.fill(counts, 0);
        count = 0;
        sum = 0;
        min = Long.MAX_VALUE;
        max = 0;
    }

    /** Count, min, p50, p99, p99.9, max and mean, for logs. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "count=%d min=%d p50=%d p99=%d p99.9=%d max=%d mean=%.1f", count, min(),
                valueAtPercentile(50), valueAtPercentile(99), valueAtPercentile(99.9), max, mean());
    }

    static int bucketOf(long value) {
        if (value < EXACT_BELOW) {
            return (int) value;
        }
        int shift = (63 - Long.numberOfLeadingZeros(value)) - SUB_BITS;
        return (shift << SUB_BITS) + (int) (value >>> shift);
    }

    static long lowestInBucket(int bucket) {
        if (bucket < EXACT_BELOW) {
            return bucket;
        }
        int shift = (bucket >>> SUB_BITS) - 1;
        return (long) (bucket - (shift << SUB_BITS)) << shift;
    }

    static long highestInBucket(int bucket) {
        if (bucket < EXACT_BELOW) {
            return bucket;
        }
        int shift = (bucket >>> SUB_BITS) - 1;
        return lowestInBucket(bucket) + (1L << shift) - 1;
    }
}
