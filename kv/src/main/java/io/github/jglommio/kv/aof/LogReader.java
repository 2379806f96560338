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
    ReplayResult replayAll(Path path, LogStateMachine target, Runnable checkpoint) throws IOException {
        return replay(path, -1, target, checkpoint);
    }

    /**
     * Replays {@code path} up to {@code end}, which must be a record boundary (a rewrite reading the
     * records the log has written so far): an incomplete record there is a {@link CorruptLogException}.
     */
    ReplayResult replayPrefix(Path path, long end, LogStateMachine target, Runnable checkpoint) throws IOException {
        return replay(path, end, target, checkpoint);
    }

    private ReplayResult replay(Path path, long end, LogStateMachine target, Runnable checkpoint) throws IOException {
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
            try (DmaStreamReader reader = new DmaStreamReaderBuilder(file).withEndPosition(limit)
                    .withCloseFile(false).build()) {
                byte[] buf = new byte[CHUNK];
                int n;
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
                            target.apply(cmd);
                        } catch (RuntimeException e) {
                            throw new CorruptLogException(path, recordStart, "cannot replay " + cmd.name() + ": " + e, e);
                        }
                        commands++;
                        checkpoint.run();
                    }
                    offset += n;
                }
            }
            long valid = parser.hasPartialRequest() ? recordStart : offset;
            if (!tolerant && valid != limit) {
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
