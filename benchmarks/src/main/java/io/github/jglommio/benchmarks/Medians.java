package io.github.jglommio.benchmarks;

import java.util.Arrays;

/**
 * Medians for interleaved comparisons (BENCHMARKING.md: on a machine whose speed drifts, compare
 * runs made side by side and report the median of the pairwise ratios). NaN marks a missing run.
 * Stateless; any thread.
 */
final class Medians {

    private Medians() {
    }

    /** The median of the non-NaN values (the mean of the middle two for an even count); NaN if none. */
    static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        int n = v.length;
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * The per-index ratios {@code ours[i] / reference[i]}: NaN where either run is missing or the
     * reference is not positive.
     */
    static double[] ratios(double[] ours, double[] reference) {
        if (ours.length != reference.length) {
            throw new IllegalArgumentException("pairwise ratios need as many runs on each side, got "
                    + ours.length + " and " + reference.length);
        }
        double[] r = new double[ours.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Double.isNaN(ours[i]) || Double.isNaN(reference[i]) || reference[i] <= 0
                    ? Double.NaN : ours[i] / reference[i];
        }
        return r;
    }

    /** The median of {@link #ratios}: NaN when no pair is complete. */
    static double medianOfRatios(double[] ours, double[] reference) {
        return median(ratios(ours, reference));
    }
}
