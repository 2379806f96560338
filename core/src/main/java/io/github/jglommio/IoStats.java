package io.github.jglommio;

/**
 * An executor's I/O counters: cumulative since the executor started (monotonic), read as one
 * snapshot; {@link #delta} gives the activity between two snapshots.
 *
 * @param submissions      SQEs the kernel consumed from the executor's ring
 * @param completions      CQEs reaped
 * @param wakeups          cross-thread wake-ups (eventfd writes) that woke the sleeping executor
 * @param inflight         operations in the kernel right now (a gauge)
 * @param fileReads        file read operations (DmaFile, BufferedFile, streams)
 * @param fileReadBytes    bytes those reads returned
 * @param fileWrites       file write operations
 * @param fileWriteBytes   bytes written
 * @param directReads      reads through O_DIRECT
 * @param bufferedReads    reads through the page cache
 * @param directWrites     writes through O_DIRECT
 * @param bufferedWrites   writes through the page cache
 * @param dedupedReads     reads served by joining an identical read already in flight (ImmutableFile)
 * @param dedupedReadBytes bytes those reads returned
 * @param fileSyncs        fsync/fdatasync operations
 */
public record IoStats(long submissions, long completions, long wakeups, long inflight, long fileReads,
                      long fileReadBytes, long fileWrites, long fileWriteBytes, long directReads, long bufferedReads,
                      long directWrites, long bufferedWrites, long dedupedReads, long dedupedReadBytes,
                      long fileSyncs) {

    static final IoStats ZERO = new IoStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The activity since {@code previous}: counters subtracted, gauges kept as they are now. */
    public IoStats delta(IoStats previous) {
        return new IoStats(submissions - previous.submissions, completions - previous.completions,
                wakeups - previous.wakeups, inflight, fileReads - previous.fileReads,
                fileReadBytes - previous.fileReadBytes, fileWrites - previous.fileWrites,
                fileWriteBytes - previous.fileWriteBytes, directReads - previous.directReads,
                bufferedReads - previous.bufferedReads, directWrites - previous.directWrites,
                bufferedWrites - previous.bufferedWrites, dedupedReads - previous.dedupedReads,
                dedupedReadBytes - previous.dedupedReadBytes, fileSyncs - previous.fileSyncs);
    }
}
