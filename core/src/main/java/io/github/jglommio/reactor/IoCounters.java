package io.github.jglommio.reactor;

import io.github.jglommio.LatencyHistogram;

/**
 * Per-executor file I/O counters, written by the executor thread (monitors read them racily), and
 * optional latency histograms ({@link LatencyHistogram}, microseconds, full precision up to 60 s).
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
    public final LatencyHistogram readLatencyUs;
    public final LatencyHistogram writeLatencyUs;

    IoCounters(boolean recordLatencies) {
        this.readLatencyUs = recordLatencies ? new LatencyHistogram(60_000_000L) : null;
        this.writeLatencyUs = recordLatencies ? new LatencyHistogram(60_000_000L) : null;
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
            readLatencyUs.record(Math.max(1, (System.nanoTime() - startNs) / 1000));
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
            writeLatencyUs.record(Math.max(1, (System.nanoTime() - startNs) / 1000));
        }
    }

    /** True when latency histograms are being recorded. */
    public boolean recordsLatencies() {
        return readLatencyUs != null;
    }
}
