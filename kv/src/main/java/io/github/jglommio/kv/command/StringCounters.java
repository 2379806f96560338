package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.KeyspaceEvents;

/**
 * INCR, DECR, INCRBY, DECRBY and INCRBYFLOAT: the string counters. A counter is stored as its
 * decimal text, keeps the key's TTL, and a missing key counts as 0. Stateless.
 */
final class StringCounters {
    private StringCounters() {
    }

    static void register(Registry r) {
        r.key("incr", 2, "write denyoom fast", (c, ks, out, x) -> incrBy(c, ks, out, 1));
        r.key("decr", 2, "write denyoom fast", (c, ks, out, x) -> incrBy(c, ks, out, -1));
        r.key("incrby", 3, "write denyoom fast", (c, ks, out, x) -> incrBy(c, ks, out, Args.longArg(c, 2)));
        r.key("decrby", 3, "write denyoom fast", (c, ks, out, x) -> decrBy(c, ks, out));
        r.key("incrbyfloat", 3, "write denyoom fast", (c, ks, out, x) -> incrByFloat(c, ks, out));
    }

    static Command decrBy(Command c, Keyspace ks, RespWriter out) {
        long by = Args.longArg(c, 2);
        if (by == Long.MIN_VALUE) {
            throw new CommandError("ERR decrement would overflow");
        }
        return incrBy(c, ks, out, -by);
    }

    static Command incrBy(Command c, Keyspace ks, RespWriter out, long by) {
        byte[] key = c.arg(1);
        byte[] old = ks.getString(key);
        long current = old == null ? 0 : Args.longValue(old, CommandError.NOT_INTEGER);
        long next = current + by;
        // Overflow iff both operands have the same sign and the result's sign differs.
        if (((current ^ next) & (by ^ next)) < 0) {
            throw new CommandError(CommandError.OVERFLOW);
        }
        ks.setKeepTtl(key, Args.decimal(next));
        ks.notify(KeyspaceEvents.STRING, "incrby", key);
        out.integer(next);
        return c;
    }

    /**
     * INCRBYFLOAT in {@link LongDouble} arithmetic, as Redis computes it; logged as
     * {@code SET key <result> KEEPTTL} so that replay never redoes the float arithmetic.
     */
    static Command incrByFloat(Command c, Keyspace ks, RespWriter out) {
        byte[] key = c.arg(1);
        byte[] old = ks.getString(key);
        LongDouble current = old == null ? LongDouble.ZERO : LongDouble.parse(old);
        LongDouble by = current == null ? null : LongDouble.parse(c.arg(2));
        if (by == null) {
            throw new CommandError(CommandError.NOT_FLOAT);
        }
        LongDouble sum = current.plus(by);
        if (sum == null) {
            throw new CommandError("ERR increment would produce NaN or Infinity");
        }
        byte[] text = sum.humanText();
        ks.setKeepTtl(key, text);
        ks.setEncodingMark(key, ObjectCommands.NOT_INT); // a new string Redis does not try as an integer
        ks.notify(KeyspaceEvents.STRING, "incrbyfloat", key);
        out.bulk(text);
        return Args.command("SET", key, text, Args.ascii("KEEPTTL"));
    }
}
