package io.github.jglommio;

/**
 * Copies of an executor's file I/O latency histograms, in microseconds (exact up to 511 µs, within
 * {@link LatencyHistogram#MAX_RELATIVE_ERROR 0.4 %} above, full precision up to 60 s). Cumulative since
 * the executor started; {@link LatencyHistogram#subtract} an earlier copy for an interval. The copies
 * belong to the caller.
 *
 * @param reads  read latencies
 * @param writes write latencies
 */
public record IoLatencies(LatencyHistogram reads, LatencyHistogram writes) {
}
