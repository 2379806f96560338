package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;

/**
 * Runs one keyspace command: appends exactly one reply to {@code out} and returns the command to
 * log, or {@code null} when the keyspace did not change. May throw {@link CommandError} or
 * {@link io.github.jglommio.kv.store.WrongTypeException} before changing anything; the caller
 * turns them into the error reply.
 */
@FunctionalInterface
interface Handler {
    /**
     * Runs the command.
     *
     * @param c the command, its arity already checked
     * @param ks the shard's keyspace
     * @param out receives exactly one reply
     * @param ctx the executor, for its random generator
     * @return the command to log, or {@code null}
     */
    Command run(Command c, Keyspace ks, RespWriter out, KeyspaceCommands ctx);
}
