package io.github.jglommio.kv.aof;

import io.github.jglommio.kv.resp.Command;

import java.util.function.Consumer;

/**
 * What the append-only log needs from the data it protects (one shard's keyspace): apply a logged
 * command, describe the live state as commands, and make a new empty instance. The server adapts its
 * keyspace and command executor to this interface; the log knows nothing else about the data.
 *
 * <p>Threading: every method is called from tasks of the shard's executor, one call at a time per
 * instance. {@link #rebuild} and {@link #apply} may be called from a task that parks and yields
 * between two calls of the consumer (the log writes to disk there); see {@link #rebuild} for what that
 * requires.
 */
public interface LogStateMachine {

    /**
     * Applies a command read back from the log, as the server executed it when it was appended, and
     * discards its reply. Commands in the log are deterministic on replay (absolute expiry times).
     *
     * @throws RuntimeException when the command cannot be applied (an unknown command, for example);
     *                          replay then fails with an {@link java.io.IOException} naming the file and
     *                          the record's offset
     */
    void apply(Command command);

    /**
     * A record of a cross-shard transaction's part that replay drops, because not every shard of
     * the transaction logged its part (see the package comment). Its effect must not be applied;
     * a state machine whose records set context for the records after them (the database of a
     * {@code SELECT}) follows that context, as the writer did. By default, nothing.
     */
    default void applyDropped(Command command) {
    }

    /**
     * Passes to {@code out} commands that, applied in order to an empty instance, rebuild this
     * instance's live state (for example one {@code SET} per string key with its {@code PXAT} expiry,
     * list elements in bounded {@code RPUSH} batches). Expired keys may be left out.
     *
     * <p>{@code out} may park the calling task (it writes to disk and yields the CPU), so nothing else
     * may modify this instance until {@code rebuild} returns: the log only calls it on a private
     * instance made by {@link #newEmpty()}, or on the server's instance during
     * {@link AppendOnlyLog#open}, before the server serves requests.
     *
     * @throws RuntimeException what {@code out} throws (the log aborts the rewrite with it)
     */
    void rebuild(Consumer<Command> out);

    /**
     * A new, empty instance of the same kind (same clock, same limits): the log replays its file into
     * one to build a compacted copy.
     */
    LogStateMachine newEmpty();
}
