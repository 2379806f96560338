package io.github.jglommio.kv.aof;

import io.github.jglommio.io.DmaStreamWriter;
import io.github.jglommio.kv.resp.RespWriter;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes a state machine's {@link LogStateMachine#rebuild rebuild} commands to a log file. Calling task only. */
final class SnapshotWriter {

    private SnapshotWriter() {
    }

    /**
     * Writes the commands that rebuild {@code state} to {@code out}, calling {@code checkpoint} after each
     * (to yield the CPU or stop), and returns the bytes written.
     */
    static long write(LogStateMachine state, DmaStreamWriter out, Runnable checkpoint) throws IOException {
        long before = out.currentPosition();
        try {
            state.rebuild(cmd -> {
                byte[] record = RespWriter.encodeCommand(cmd);
                try {
                    out.write(record, 0, record.length);
                } catch (IOException e) {
                    // rebuild's consumer cannot throw checked exceptions: carried across it and unwrapped below
                    throw new UncheckedIOException(e);
                }
                checkpoint.run();
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out.currentPosition() - before;
    }
}
