package io.github.jglommio.kv.aof;

import io.github.jglommio.io.DmaFile;
import io.github.jglommio.io.DmaStreamReader;
import io.github.jglommio.io.DmaStreamReaderBuilder;
import io.github.jglommio.io.ReadResult;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.ProtocolException;
import io.github.jglommio.kv.resp.RespParser;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads an append-only log (RESP multibulk commands, one after another) and applies each command to a
 * {@link LogStateMachine}. Runs in the calling task; owner executor only.
 */
final class LogReader {

    private static final System.Logger LOG = System.getLogger(LogReader.class.getName());
    private static final int CHUNK = 128 << 10;

    private final int maxBulkLength;
    private final int maxMultibulkLength;

    LogReader(int maxBulkLength, int maxMultibulkLength) {
        this.maxBulkLength = maxBulkLength;
        this.maxMultibulkLength = maxMultibulkLength;
    }

    /**
     * Replays the whole of {@code path}, as on start. What follows the last complete record is dropped
     * with a warning when it is an incomplete record or zero bytes (the padded block of a write that a
     * crash interrupted before the file was cut to its length); anything else is a
     * {@link CorruptLogException}.
     */
    ReplayResult replayAll(Path path, LogStateMachine target, TxDecisions decisions, Runnable checkpoint)
            throws IOException {
        return replay(path, -1, target, decisions, Long.MAX_VALUE, checkpoint);
    }

    /**
     * Replays {@code path} up to {@code end}, which must be a record boundary (a rewrite reading the
     * records the log has written so far): an incomplete record there is a {@link CorruptLogException}.
     * Stops early, before the first {@code TXPART} record of a transaction above {@code horizon}
     * (one not known complete: see the package comment); {@link ReplayResult#bytes} is where
     * it stopped.
     */
    ReplayResult replayPrefix(Path path, long end, long horizon, LogStateMachine target, Runnable checkpoint)
            throws IOException {
        return replay(path, end, target, TxDecisions.NONE, horizon, checkpoint);
    }

    /** Where a replay is in a cross-shard transaction's part: TXPART, then MULTI ... EXEC. */
    private static final int OUTSIDE = 0;
    private static final int AFTER_PART = 1;
    private static final int IN_APPLIED_PART = 2;
    private static final int IN_DROPPED_PART = 3;

    private ReplayResult replay(Path path, long end, LogStateMachine target, TxDecisions decisions, long stopAbove,
                                Runnable checkpoint) throws IOException {
        long started = System.nanoTime();
        boolean tolerant = end < 0;
        try (DmaFile file = DmaFile.openReadOnly(path)) {
            long size = file.fileSize();
            long limit = tolerant ? endWithoutZeroPadding(file, size) : end;
            if (limit > size) {
                throw new CorruptLogException(path, size, "the file is " + size + " bytes long, " + limit
                        + " were expected", null);
            }
            RespParser parser = new RespParser(maxBulkLength, maxMultibulkLength);
            long commands = 0;
            long offset = 0;
            long recordStart = 0;
            long stoppedAt = -1;
            int txState = OUTSIDE;
            boolean applies = true;
            try (DmaStreamReader reader = new DmaStreamReaderBuilder(file).withEndPosition(limit)
                    .withCloseFile(false).build()) {
                byte[] buf = new byte[CHUNK];
                int n;
                chunks:
                while ((n = reader.read(buf, 0, buf.length)) > 0) {
                    int pos = 0;
                    while (pos < n) {
                        if (!parser.hasPartialRequest()) {
                            recordStart = offset + pos;
                            // The parser would take other bytes as an inline command; the log holds only multibulk ones.
                            if (buf[pos] != '*') {
                                throw new CorruptLogException(path, recordStart, String.format(
                                        "expected '*' (a RESP multibulk command), found byte 0x%02x", buf[pos] & 0xff), null);
                            }
                        }
                        Command cmd;
                        try {
                            cmd = parser.next(buf, pos, n);
                        } catch (ProtocolException e) {
                            throw new CorruptLogException(path, recordStart, e.getMessage(), e);
                        }
                        if (cmd == null) {
                            break; // the record goes on in the next chunk
                        }
                        pos += parser.consumed();
                        try {
                            if (TxRecords.isHorizon(cmd)) {
                                // only the startup scan reads it
                            } else if (TxRecords.isPart(cmd)) {
                                if (txState != OUTSIDE) {
                                    throw new CorruptLogException(path, recordStart, "TXPART inside a transaction's part", null);
                                }
                                long txid = TxRecords.number(cmd, 1);
                                if (txid > stopAbove) {
                                    stoppedAt = recordStart;
                                    break chunks;
                                }
                                applies = decisions.applies(txid);
                                txState = AFTER_PART;
                            } else if (txState == AFTER_PART) {
                                if (!TxRecords.isMulti(cmd)) {
                                    throw new CorruptLogException(path, recordStart, "TXPART not followed by MULTI", null);
                                }
                                txState = applies ? IN_APPLIED_PART : IN_DROPPED_PART;
                                if (applies) {
                                    target.apply(cmd);
                                }
                            } else if (txState == IN_DROPPED_PART) {
                                if (TxRecords.isExec(cmd)) {
                                    txState = OUTSIDE;
                                } else {
                                    target.applyDropped(cmd);
                                }
                            } else {
                                if (txState == IN_APPLIED_PART && TxRecords.isExec(cmd)) {
                                    txState = OUTSIDE;
                                }
                                target.apply(cmd);
                            }
                        } catch (RuntimeException e) {
                            throw new CorruptLogException(path, recordStart, "cannot replay " + cmd.name() + ": " + e, e);
                        }
                        commands++;
                        checkpoint.run();
                    }
                    offset += n;
                }
            }
            long valid = stoppedAt >= 0 ? stoppedAt : parser.hasPartialRequest() ? recordStart : offset;
            if (!tolerant && stoppedAt < 0 && valid != limit) {
                throw new CorruptLogException(path, recordStart, "the record does not end at position " + limit, null);
            }
            long truncated = size - valid;
            if (tolerant && truncated > 0) {
                LOG.log(Level.WARNING, "append-only log " + path + ": dropped the last " + truncated + " bytes (from offset "
                        + valid + " of " + size + "): an incomplete record or padding left by a crash during a write");
            }
            return new ReplayResult(commands, valid, tolerant ? truncated : 0, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    /**
     * The length of the file without its trailing zero bytes. A record ends with CRLF, so zeros at the
     * end are never part of a complete record: they are a padded block whose truncation a crash prevented.
     */
    private static long endWithoutZeroPadding(DmaFile file, long size) throws IOException {
        long end = size;
        while (end > 0) {
            int len = (int) Math.min(CHUNK, end);
            long from = end - len;
            try (ReadResult r = file.readAt(from, len)) {
                if (r.len() < len) {
                    throw new IOException("short read of " + file.path() + " at offset " + from + ": " + r.len()
                            + " of " + len + " bytes (was the file truncated meanwhile?)");
                }
                for (int i = len - 1; i >= 0; i--) {
                    if (r.get(i) != 0) {
                        return from + i + 1;
                    }
                }
            }
            end = from;
        }
        return 0;
    }
}
