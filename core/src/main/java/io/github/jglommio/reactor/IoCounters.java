package io.github.jglommio.reactor;

import org.HdrHistogram.Histogram;

/**
 * Per-executor file I/O counters, written by the executor thread (monitors read them racily), and
 * optional latency histograms (HdrHistogram, microseconds, 1 µs .. 60 s, 3 significant digits).
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
    public final Histogram readLatencyUs;
    public final Histogram writeLatencyUs;

    IoCounters(boolean recordLatencies) {
        this.readLatencyUs = recordLatencies ? new Histogram(60_000_000L, 3) : null;
        this.writeLatencyUs = recordLatencies ? new Histogram(60_000_000L, 3) : null;
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
            readLatencyUs.recordValue(Math.max(1, (System.nanoTime() - startNs) / 1000));
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
            writeLatencyUs.recordValue(Math.max(1, (System.nanoTime() - startNs) / 1000));
        }
    }

    /** True when latency histograms are being recorded. */
    public boolean recordsLatencies() {
        return readLatencyUs != null;
    }
}
