package io.github.jglommio.benchmarks;

/**
 * The figures of one measured run of one peer on one workload of the {@code storage} suite.
 * Latency is per I/O, from just before it is issued to just after its completion is seen by the
 * issuer (fio: {@code lat}, that is {@code slat + clat}).
 *
 * @param iops        I/Os completed per second in the measured window
 * @param mibPerSec   MiB transferred per second ({@code iops * blockSize / 2^20})
 * @param p50Us       median latency, microseconds
 * @param p99Us       99th percentile latency, microseconds
 * @param cpuUsPerOp  CPU time (user + system, the whole process) per I/O, microseconds; NaN if unknown
 */
record StorageRun(double iops, double mibPerSec, double p50Us, double p99Us, double cpuUsPerOp) {

    /** The run's throughput figure: MiB/s for sequential workloads, IOPS for random ones. */
    double throughput(StorageWorkload w) {
        return w.isSequential() ? mibPerSec : iops;
    }
}
