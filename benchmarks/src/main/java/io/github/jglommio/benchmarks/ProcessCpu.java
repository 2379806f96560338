package io.github.jglommio.benchmarks;

import java.lang.management.ManagementFactory;

/** CPU time of this JVM process (all threads, user + system), for CPU-per-operation figures. Any thread. */
final class ProcessCpu {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {
    }

    /** Process CPU time in nanoseconds, or -1 when the platform does not report it. */
    static long nanos() {
        return OS.getProcessCpuTime();
    }

    /** CPU microseconds per operation between two {@link #nanos()} readings; NaN if unknown. */
    static double usPerOp(long startNs, long endNs, long ops) {
        if (startNs < 0 || endNs < 0 || ops <= 0) {
            return Double.NaN;
        }
        return (endNs - startNs) / 1e3 / ops;
    }
}
