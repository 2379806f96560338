package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.WrongTypeException;

import java.util.SplittableRandom;

/**
 * Executes commands against one shard's {@link Keyspace} with Redis semantics.
 *
 * <p>{@link #execute(CommandSpec, Command, Keyspace, RespWriter)} appends exactly one reply to the
 * writer (a value, or an error for unknown commands, bad arity, bad arguments and wrong types) and
 * returns the command to append to the append-only log: {@code null} when nothing changed, else a
 * command whose replay on the same prior state gives the same result at any later time. Relative
 * times become absolute ({@code SET k v EX 10} logs {@code SET k v PXAT <ms>}, {@code EXPIRE k 10}
 * logs {@code PEXPIREAT k <ms>}, an expiry already in the past logs {@code DEL k}), random choices
 * become explicit ({@code SPOP} logs {@code SREM}), and the rest log themselves. Replaying logged
 * commands through this same method rebuilds the keyspace, provided that the log also holds a
 * {@code DEL} for every key the keyspace expired (wire {@link Keyspace#setExpiryListener}, which
 * fires during {@code execute}, before the command's own log entry is returned) and that the
 * replay runs with the keyspace in {@linkplain Keyspace#setLoading(boolean) loading mode}.
 *
 * <p>Multi-key commands (DEL, EXISTS, MGET, MSET, ...) act on the keys they are given; the server
 * gives each shard its own keys (see {@link Routing}). Server-level commands other than
 * {@code PING} and {@code ECHO} are answered with an error: the server handles them.
 *
 * <p>One instance per shard executor; not thread-safe (it owns the random generator of SPOP and
 * RANDOMKEY-like choices).
 */
public final class KeyspaceCommands {
    private final SplittableRandom random;
    private final EncodingLimits limits;
    /** Values Redis would have freed in the background (UNLINK, FLUSHALL/FLUSHDB ASYNC): INFO's lazyfreed_objects. */
    private long lazyFreed;

    /** Creates an executor with a randomly seeded generator and the default encoding limits. */
    public KeyspaceCommands() {
        this(new SplittableRandom());
    }

    /**
     * Creates an executor with a given generator, for reproducible tests.
     *
     * @param random the generator used by SPOP
     */
    public KeyspaceCommands(SplittableRandom random) {
        this(random, new EncodingLimits());
    }

    /**
     * Creates an executor.
     *
     * @param random the generator used by SPOP
     * @param limits the encoding limits in force, shared with the server's configuration
     */
    public KeyspaceCommands(SplittableRandom random, EncodingLimits limits) {
        this.random = random;
        this.limits = limits;
    }

    /**
     * Looks the command up and executes it; see {@link #execute(CommandSpec, Command, Keyspace,
     * RespWriter)}.
     *
     * @param cmd the command
     * @param ks the shard's keyspace
     * @param out receives exactly one reply
     * @return the command to log, or {@code null}
     */
    public Command execute(Command cmd, Keyspace ks, RespWriter out) {
        return execute(CommandTable.lookup(cmd), cmd, ks, out);
    }

    /**
     * Executes a command whose spec the caller has already looked up (to route it).
     *
     * @param spec the command's spec, or {@code null} if unknown (an error reply is written)
     * @param cmd the command
     * @param ks the shard's keyspace
     * @param out receives exactly one reply
     * @return the command to log, or {@code null} when the keyspace did not change
     */
    public Command execute(CommandSpec spec, Command cmd, Keyspace ks, RespWriter out) {
        if (spec == null) {
            out.error(CommandTable.unknownCommandError(cmd));
            return null;
        }
        if (!spec.acceptsArgCount(cmd.argCount())) {
            out.error(spec.arityError());
            return null;
        }
        try {
            return dispatch(spec, cmd, ks, out);
        } catch (CommandError e) {
            out.error(e.getMessage());
            return null;
        } catch (WrongTypeException e) {
            out.error(WrongTypeException.MESSAGE);
            return null;
        }
    }

    /**
     * Returns how many values this executor dropped where Redis would have freed them in the
     * background: each UNLINKed value whose freeing takes more than 64 steps in Redis (a big
     * hashtable, skiplist or quicklist), and every key of a FLUSHALL or FLUSHDB ASYNC. The JVM's
     * collector reclaims them here, so none is ever pending.
     *
     * @return the count since the start or the last {@link #resetLazyFreed()}
     */
    public long lazyFreed() {
        return lazyFreed;
    }

    /** Sets {@link #lazyFreed()} back to 0 (CONFIG RESETSTAT). */
    public void resetLazyFreed() {
        lazyFreed = 0;
    }

    /** Counts {@code n} more values freed lazily (see {@link #lazyFreed()}). */
    void lazilyFreed(long n) {
        lazyFreed += n;
    }

    /** @return the encoding limits in force */
    EncodingLimits limits() {
        return limits;
    }

    /** @return the generator of random choices (SPOP, SRANDMEMBER, ...) */
    SplittableRandom random() {
        return random;
    }

    private Command dispatch(CommandSpec spec, Command c, Keyspace ks, RespWriter out) {
        Handler h = spec.handler();
        if (h == null) {
            out.error("ERR '" + spec.name() + "' is a server command, not a keyspace command");
            return null;
        }
        Command logged;
        if (spec.isNoTouch()) {
            // Redis looks keys up without touching them for these: their idle time stays.
            ks.setTouching(false);
            try {
                logged = h.run(c, ks, out, this);
            } finally {
                ks.setTouching(true);
            }
        } else {
            logged = h.run(c, ks, out, this);
        }
        if (logged != null && spec.remarks()) {
            int[] keys = spec.keyIndexes(c);
            for (int k : keys == null ? new int[0] : keys) {
                ks.remark(c.arg(k), (value, mark) -> ObjectCommands.afterWrite(value, mark, c, keys, limits));
            }
        }
        return logged;
    }
}
