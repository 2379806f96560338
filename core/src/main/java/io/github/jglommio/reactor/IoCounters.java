package io.github.jglommio.reactor;

import java.util.function.LongConsumer;

/**
 * Per-executor file I/O counters, written by the executor thread (monitors read them racily), and
 * optional latency recorders (microseconds; the executor's histograms, so the reactor needs no public type).
 */
public final class IoCounters {

    public long fileReads;
    public long fileReadBytes;
    public long fileWrites;
    public long fileWriteBytes;
    public long directReads;
    public long bufferedReads;
    public long directWrites;
    public long bufferedWrites;
    public long dedupedReads;
    public long dedupedReadBytes;
    public long fileSyncs;
    /** Null unless latencies are recorded. */
    private final LongConsumer readLatencyUs;
    private final LongConsumer writeLatencyUs;

    IoCounters(LongConsumer readLatencyUs, LongConsumer writeLatencyUs) {
        this.readLatencyUs = readLatencyUs;
        this.writeLatencyUs = writeLatencyUs;
    }

    public void read(boolean direct, long bytes, long startNs) {
        fileReads++;
        fileReadBytes += bytes;
        if (direct) {
            directReads++;
        } else {
            bufferedReads++;
        }
        if (readLatencyUs != null) {
            readLatencyUs.accept(Math.max(1, (System.nanoTime() - startNs) / 1000));
        }
    }

    public void write(boolean direct, long bytes, long startNs) {
        fileWrites++;
        fileWriteBytes += bytes;
        if (direct) {
            directWrites++;
        } else {
            bufferedWrites++;
        }
        if (writeLatencyUs != null) {
            writeLatencyUs.accept(Math.max(1, (System.nanoTime() - startNs) / 1000));
        }
    }
}
