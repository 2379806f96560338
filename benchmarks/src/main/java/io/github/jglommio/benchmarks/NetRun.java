package io.github.jglommio.benchmarks;

/**
 * The figures of one run of one peer in the {@code net} suite.
 *
 * @param rps          requests (echo messages or HTTP responses) per second, measured window
 * @param p50Us        median latency seen by the load generator, microseconds
 * @param p99Us        99th percentile latency, microseconds
 * @param serverCpuPct the server process's CPU over the run (user + system), percent of one CPU
 * @param loadCpuPct   the load generator's CPU over the run, percent of one CPU (NaN: unknown)
 * @param loop         the jglommio executor's counters per request, or "" for the other peers
 */
record NetRun(double rps, double p50Us, double p99Us, double serverCpuPct, double loadCpuPct, String loop) {
}
