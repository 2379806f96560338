package io.github.jglommio.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of this JVM process or of a child process (all threads, user + system), for
 * CPU-per-operation figures. Any thread.
 */
final class ProcessCpu {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {
    }

    /** Process CPU time in nanoseconds, or -1 when the platform does not report it. */
    static long nanos() {
        return OS.getProcessCpuTime();
    }

    /** Clock ticks per second of /proc/PID/stat's utime and stime ({@code sysconf(_SC_CLK_TCK)}: 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    /** CPU seconds process {@code pid} has used so far (from /proc/PID/stat), or NaN when unreadable. */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the parenthesised command name; utime and stime are fields 14 and 15 of stat(5).
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** CPU microseconds per operation between two {@link #nanos()} readings; NaN if unknown. */
    static double usPerOp(long startNs, long endNs, long ops) {
        if (startNs < 0 || endNs < 0 || ops <= 0) {
            return Double.NaN;
        }
        return (endNs - startNs) / 1e3 / ops;
    }
}
