package io.github.jglommio.kv.aof;

import java.time.Duration;

/**
 * A completed log rewrite (compaction).
 *
 * @param oldSize       the length of the log file it replaced
 * @param snapshotBytes the bytes of the commands rebuilding the state at the rewrite's start
 * @param bufferedBytes the bytes of the records appended while the rewrite ran, copied after the snapshot
 * @param newSize       the length of the new log file when it was installed
 * @param duration      from start to installation
 */
public record RewriteResult(long oldSize, long snapshotBytes, long bufferedBytes, long newSize, Duration duration) {
}
