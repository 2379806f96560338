package io.github.jglommio.kv.aof;

import java.time.Duration;

/**
 * A snapshot of one shard's append-only log counters, for the {@code INFO persistence} section.
 * Counters are cumulative since the log was opened.
 *
 * @param policy               the fsync policy
 * @param records              records appended
 * @param appendedBytes        bytes appended
 * @param writtenBytes         bytes written to the log file(s)
 * @param pendingBytes         bytes appended but not yet written (Redis's {@code aof_buffer_length})
 * @param writes               batches written: each holds every record appended while the previous one was
 *                             written (group commit)
 * @param syncs                {@code fdatasync}s of the log file
 * @param currentSize          the length of the current log file ({@code aof_current_size})
 * @param baseSize             its length when it was last rewritten or opened ({@code aof_base_size})
 * @param rewrites             rewrites completed
 * @param rewriteFailures      rewrites that failed (the old log stayed in use)
 * @param rewriteInProgress    whether a rewrite is running ({@code aof_rewrite_in_progress})
 * @param lastRewriteDuration  how long the last completed rewrite took, zero before the first
 * @param lastRewriteOk        false when the last rewrite failed ({@code aof_last_bgrewrite_status})
 * @param writeError           empty while the log works; otherwise the failure that makes the server
 *                             refuse writes until a retry succeeds ({@code aof_last_write_status:err})
 * @param writeFailures        failed writes and syncs, retries included
 */
public record AofStats(FsyncPolicy policy, long records, long appendedBytes, long writtenBytes, long pendingBytes,
                       long writes, long syncs, long currentSize, long baseSize, long rewrites, long rewriteFailures,
                       boolean rewriteInProgress, Duration lastRewriteDuration, boolean lastRewriteOk,
                       String writeError, long writeFailures) {
}
