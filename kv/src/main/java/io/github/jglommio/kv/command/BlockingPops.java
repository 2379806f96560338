package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.ListValue;
import io.github.jglommio.kv.store.ZSet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The blocking pops: BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP, BZPOPMIN, BZPOPMAX and BZMPOP.
 *
 * <p>Their handlers are the part that never blocks: they parse with Redis's rules (and its order of
 * errors), pop from the first ready key and log the matching non-blocking command (through
 * {@link ListPops} and {@link ZSetPops}), or answer the null reply when every key is empty, which
 * is what Redis answers once the timeout expired, and what a blocking command does inside
 * MULTI/EXEC. The waiting itself belongs to the server: it asks {@link #timeoutMillis} whether the
 * command is well formed and how long it may wait, {@link #isReady} whether a key can serve it, and
 * runs {@link #narrowed} (the command with that one key) through the handler once it can.
 *
 * <p>Stateless; any thread.
 */
public final class BlockingPops {
    static final String TIMEOUT_NEGATIVE = "ERR timeout is negative";
    static final String TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
    private static final BigDecimal MILLIS_LIMIT = new BigDecimal(BigInteger.ONE.shiftLeft(63));
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private BlockingPops() {
    }

    static void register(Registry r) {
        r.add("blpop", -3, "write noscript blocking", 1, -2, 1, Routing.KEYS_ATOMIC, BlockingPops::bpop);
        r.add("brpop", -3, "write noscript blocking", 1, -2, 1, Routing.KEYS_ATOMIC, BlockingPops::bpop);
        r.atomic("brpoplpush", 4, "write denyoom noscript blocking", 1, 2, 1, BlockingPops::brpoplpush);
        r.atomic("blmove", 6, "write denyoom noscript blocking", 1, 2, 1, BlockingPops::blmoveKeys,
            BlockingPops::blmove);
        r.atomic("blmpop", -5, "write blocking movablekeys", 0, 0, 0,
            c -> ListPops.parseMultiPop(c, 2).keyIndexes(), BlockingPops::blmpop);
        r.add("bzpopmin", -3, "write noscript blocking fast", 1, -2, 1, Routing.KEYS_ATOMIC, BlockingPops::bzpop);
        r.add("bzpopmax", -3, "write noscript blocking fast", 1, -2, 1, Routing.KEYS_ATOMIC, BlockingPops::bzpop);
        r.atomic("bzmpop", -5, "write blocking movablekeys", 0, 0, 0, c -> parseZMultiPop(c).keyIndexes(),
            BlockingPops::bzmpop);
    }

    // ---- what the server asks --------------------------------------------------------------

    /**
     * Returns whether {@code spec} is one of the blocking pops.
     *
     * @param spec a command's spec, or null
     * @return true for BLPOP, BRPOP, BRPOPLPUSH, BLMOVE, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP
     */
    public static boolean isBlocking(CommandSpec spec) {
        return spec != null && spec.flags().contains("blocking") && spec.name().startsWith("b");
    }

    /**
     * Checks every argument of a blocking pop, in Redis's order, and returns how long it may wait.
     *
     * @param spec its spec ({@link #isBlocking})
     * @param c the command, its arity checked
     * @return the timeout in milliseconds, 0 to wait for ever, or -1 if an argument is malformed
     *     (the handler then answers Redis's error)
     */
    public static long timeoutMillis(CommandSpec spec, Command c) {
        try {
            return checkedTimeout(spec, c);
        } catch (CommandError e) {
            return -1;
        }
    }

    private static long checkedTimeout(CommandSpec spec, Command c) {
        switch (spec.name()) {
            case "blmove" -> {
                ListPops.end(c.arg(3));
                ListPops.end(c.arg(4));
                return timeout(c.arg(5));
            }
            case "blmpop" -> {
                ListPops.parseMultiPop(c, 2);
                return timeout(c.arg(1));
            }
            case "bzmpop" -> {
                parseZMultiPop(c);
                return timeout(c.arg(1));
            }
            default -> {
                return timeout(c.arg(c.argCount() - 1));
            }
        }
    }

    /**
     * Returns whether the value at a key lets the blocking pop {@code spec} go on there: a list for
     * the list pops, a sorted set for the others. A value of another type is not ready (a waiter
     * keeps waiting, as in Redis); lists and sorted sets are never empty.
     *
     * @param spec its spec
     * @param value the key's value, or null if it is missing
     * @return whether the command can pop from it
     */
    public static boolean isReady(CommandSpec spec, Object value) {
        return spec.name().startsWith("bz") ? value instanceof ZSet : value instanceof ListValue;
    }

    /**
     * Returns whether {@code spec} moves an element to a destination (BLMOVE, BRPOPLPUSH): its
     * source is argument 1 and its destination argument 2.
     *
     * @param spec its spec
     * @return whether it is BLMOVE or BRPOPLPUSH
     */
    public static boolean isMove(CommandSpec spec) {
        return spec.name().equals("blmove") || spec.name().equals("brpoplpush");
    }

    /**
     * Returns the LMOVE a BLMOVE or BRPOPLPUSH amounts to once its source has an element, for
     * when its keys live apart and the move runs as a cross-shard transaction.
     *
     * @param c a BLMOVE or BRPOPLPUSH, well formed
     * @return {@code LMOVE src dst from to}
     */
    public static Command asMove(Command c) {
        if (c.argCount() == 4) {
            return Args.command("LMOVE", c.arg(1), c.arg(2), Args.ascii("RIGHT"), Args.ascii("LEFT"));
        }
        return Args.command("LMOVE", c.arg(1), c.arg(2), c.arg(3), c.arg(4));
    }

    /**
     * Returns the command restricted to its key at argument {@code keyArg}, with its other
     * arguments as they are; the handler then pops from that key, or answers the null reply.
     *
     * @param spec its spec
     * @param c the command, well formed
     * @param keyArg the argument index of the key that is ready
     * @return the command with that one key
     */
    public static Command narrowed(CommandSpec spec, Command c, int keyArg) {
        byte[][] a = c.args();
        switch (spec.name()) {
            case "blmove", "brpoplpush" -> {
                return c;
            }
            case "blmpop", "bzmpop" -> {
                int numKeys = (int) Args.longValue(a[2], ListPops.NUMKEYS);
                byte[][] n = new byte[a.length - numKeys + 1][];
                n[0] = a[0];
                n[1] = a[1];
                n[2] = Args.decimal(1);
                n[3] = a[keyArg];
                System.arraycopy(a, 3 + numKeys, n, 4, a.length - 3 - numKeys);
                return Command.of(n);
            }
            default -> {
                return Command.of(a[0], a[keyArg], a[a.length - 1]);
            }
        }
    }

    /**
     * Appends the reply of a blocking pop that timed out: a null array, for BLMOVE and BRPOPLPUSH
     * too (Redis answers every timed-out list or sorted-set wait so, while their non-blocking
     * answer to an empty source is a null bulk string).
     *
     * @param spec its spec
     * @param out receives the reply
     */
    public static void nullReply(CommandSpec spec, RespWriter out) {
        out.nullArray();
    }

    // ---- handlers: the timeout has expired -------------------------------------------------

    private static Command bpop(Command c, Keyspace ks, RespWriter out, KeyspaceCommands x) {
        timeout(c.arg(c.argCount() - 1));
        boolean head = Args.is(c.arg(0), "blpop");
        for (int k = 1; k < c.argCount() - 1; k++) {
            if (ks.getList(c.arg(k)) != null) {
                return ListPops.popKeyAndElement(ks, c.arg(k), head, out);
            }
        }
        out.nullArray();
        return null;
    }

    private static Command brpoplpush(Command c, Keyspace ks, RespWriter out, KeyspaceCommands x) {
        timeout(c.arg(3));
        return ListPops.move(ks, c.arg(1), c.arg(2), false, true, out);
    }

    private static int[] blmoveKeys(Command c) {
        ListPops.end(c.arg(3));
        ListPops.end(c.arg(4));
        return new int[] {1, 2};
    }

    private static Command blmove(Command c, Keyspace ks, RespWriter out, KeyspaceCommands x) {
        boolean fromHead = ListPops.end(c.arg(3));
        boolean toHead = ListPops.end(c.arg(4));
        timeout(c.arg(5));
        return ListPops.move(ks, c.arg(1), c.arg(2), fromHead, toHead, out);
    }

    private static Command blmpop(Command c, Keyspace ks, RespWriter out, KeyspaceCommands x) {
        ListPops.MultiPop p = ListPops.parseMultiPop(c, 2);
        timeout(c.arg(1));
        int k = ListPops.firstList(ks, c, p.keyIndexes());
        if (k < 0) {
            out.nullArray();
            return null;
        }
        return ListPops.popKeyAndElements(ks, c.arg(k), p.head(), p.count(), out);
    }

    private static Command bzpop(Command c, Keyspace ks, RespWriter out, KeyspaceCommands x) {
        timeout(c.arg(c.argCount() - 1));
        boolean max = Args.is(c.arg(0), "bzpopmax");
        int k = ZSetPops.firstNonEmpty(ks, c, 1, c.argCount() - 1);
        if (k < 0) {
            out.nullArray();
            return null;
        }
        return ZSetPops.pop(ks, c.arg(k), ks.getZSet(c.arg(k)), max, 1, ZSetPops.PopReply.KEYED, out);
    }

    private static Command bzmpop(Command c, Keyspace ks, RespWriter out, KeyspaceCommands x) {
        ZMultiPop p = parseZMultiPop(c);
        timeout(c.arg(1));
        int k = ZSetPops.firstNonEmpty(ks, c, 3, 3 + p.numKeys());
        if (k < 0) {
            out.nullArray();
            return null;
        }
        return ZSetPops.pop(ks, c.arg(k), ks.getZSet(c.arg(k)), p.max(), p.count(), ZSetPops.PopReply.NESTED, out);
    }

    // ---- parsing ---------------------------------------------------------------------------

    /** BZMPOP's options after the timeout: numkeys key... MIN|MAX [COUNT count]. */
    private record ZMultiPop(int numKeys, boolean max, long count) {
        int[] keyIndexes() {
            int[] keys = new int[numKeys];
            for (int k = 0; k < numKeys; k++) {
                keys[k] = 3 + k;
            }
            return keys;
        }
    }

    /** Parses BZMPOP as ZMPOP parses itself, one argument further on; the count is 1 when not given. */
    private static ZMultiPop parseZMultiPop(Command c) {
        int[] keys = ZSetPops.numkeysKeys(c, 2, 1);
        int where = 3 + keys.length;
        boolean max;
        if (Args.is(c.arg(where), "min")) {
            max = false;
        } else if (Args.is(c.arg(where), "max")) {
            max = true;
        } else {
            throw new CommandError(CommandError.SYNTAX);
        }
        long count = -1;
        for (int j = where + 1; j < c.argCount(); j++) {
            if (count == -1 && Args.is(c.arg(j), "count") && j + 1 < c.argCount()) {
                count = ZSetCommands.rangedLong(c.arg(++j), 1, Long.MAX_VALUE, ListPops.COUNT);
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        return new ZMultiPop(keys.length, max, count < 0 ? 1 : count);
    }

    /**
     * Parses a timeout in seconds as Redis 7.0 does: a long double (strtold's syntax, hexadecimal
     * included), times 1000, rounded up to whole milliseconds. A value whose milliseconds do not fit
     * a signed 64-bit integer (inf among them) turns negative in Redis's conversion, so it is
     * refused as negative too.
     */
    private static long timeout(byte[] arg) {
        LongDouble v = LongDouble.parse(arg);
        if (v == null) {
            throw new CommandError(TIMEOUT_NOT_FLOAT);
        }
        if (!v.isFinite()) {
            throw new CommandError(TIMEOUT_NEGATIVE);
        }
        BigDecimal millis = new BigDecimal(new String(v.humanText(), java.nio.charset.StandardCharsets.US_ASCII))
            .multiply(THOUSAND).setScale(0, RoundingMode.CEILING);
        if (millis.signum() < 0 || millis.compareTo(MILLIS_LIMIT) >= 0) {
            throw new CommandError(TIMEOUT_NEGATIVE);
        }
        return millis.longValueExact();
    }
}
