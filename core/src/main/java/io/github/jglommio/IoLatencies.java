package io.github.jglommio;

import org.HdrHistogram.Histogram;

/**
 * Copies of an executor's file I/O latency histograms, in microseconds (HdrHistogram: 1 µs .. 60 s,
 * three significant digits). Cumulative since the executor started; subtract with
 * {@link Histogram#subtract} for an interval.
 *
 * @param reads  read latencies
 * @param writes write latencies
 */
public record IoLatencies(Histogram reads, Histogram writes) {
}
