package io.github.jglommio.kv.script;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

/**
 * What a running script reaches the server through: the commands of {@code redis.call} and
 * {@code redis.pcall}, and the chance to let other tasks run while a long script keeps the
 * executor. Implemented by the server for the shard the script runs on; used on that shard's
 * executor only, for the duration of one script.
 */
public interface ScriptHost {
    /**
     * Runs one command of the script; the engine has already refused unknown commands, wrong
     * arities, commands flagged {@code noscript} and writes of read-only scripts.
     *
     * @param spec the command's spec
     * @param c the command
     * @param out receives exactly one reply, in {@code out}'s protocol (the script's
     *     {@code redis.setresp})
     */
    void call(CommandSpec spec, Command c, RespWriter out);

    /**
     * Called every few thousand Lua instructions once the script has run past the busy threshold
     * (see {@link ScriptEngine}): the server marks itself busy and lets its other tasks run, which
     * answer {@code -BUSY} meanwhile.
     *
     * @param firstTime whether this is the first call of this script
     */
    void busy(boolean firstTime);

    /**
     * Whether the server is out of memory as the script starts (over maxmemory with nothing left
     * to evict): a script with flags (a shebang, or a function) that may write and lacks
     * {@code allow-oom} is then refused whole, and a script without flags gets the OOM error from
     * each denyoom command it calls, as in Redis.
     *
     * @return whether denyoom work is refused now
     */
    boolean outOfMemory();
}
