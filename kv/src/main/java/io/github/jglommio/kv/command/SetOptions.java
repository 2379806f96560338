package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.store.Keyspace;

/**
 * The options of SET ({@code NX XX GET KEEPTTL EX PX EXAT PXAT}) and GETEX
 * ({@code EX PX EXAT PXAT PERSIST}), parsed with Redis's rules: an option may repeat, the
 * conflicting ones (NX with XX, two different expiry kinds, an expiry with KEEPTTL or PERSIST)
 * are a syntax error, an expiry kind needs a following argument. Stateless.
 */
final class SetOptions {
    boolean nx;
    boolean xx;
    boolean get;
    boolean keepTtl;
    boolean persist;
    /** "ex", "px", "exat", "pxat", or null when no expiry was given. */
    String unit;
    /** The index of the expiry's argument, when {@link #unit} is set. */
    int unitArg = -1;

    private static final String[] EXPIRY_KINDS = {"ex", "px", "exat", "pxat"};

    private SetOptions() {
    }

    /**
     * Parses the options from argument 3 (SET) or 2 (GETEX) on.
     *
     * @param c the command
     * @param set true for SET's options, false for GETEX's
     * @return the options
     * @throws CommandError {@code ERR syntax error} for an unknown, conflicting or incomplete option
     */
    static SetOptions parse(Command c, boolean set) {
        SetOptions o = new SetOptions();
        for (int j = set ? 3 : 2; j < c.argCount(); j++) {
            byte[] opt = c.arg(j);
            boolean hasNext = j + 1 < c.argCount();
            String kind = expiryKind(opt);
            if (set && Args.is(opt, "nx") && !o.xx) {
                o.nx = true;
            } else if (set && Args.is(opt, "xx") && !o.nx) {
                o.xx = true;
            } else if (set && Args.is(opt, "get")) {
                o.get = true;
            } else if (set && Args.is(opt, "keepttl") && o.unit == null) {
                o.keepTtl = true;
            } else if (!set && Args.is(opt, "persist") && o.unit == null) {
                o.persist = true;
            } else if (kind != null && !o.keepTtl && !o.persist && (o.unit == null || o.unit.equals(kind)) && hasNext) {
                o.unit = kind;
                o.unitArg = ++j;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        return o;
    }

    private static String expiryKind(byte[] opt) {
        for (String k : EXPIRY_KINDS) {
            if (Args.is(opt, k)) {
                return k;
            }
        }
        return null;
    }

    /** @return whether the expiry is an absolute time (EXAT, PXAT) */
    boolean absolute() {
        return unit != null && unit.endsWith("at");
    }

    /**
     * Returns the expiry as absolute epoch milliseconds, with Redis's checks: the argument must be
     * an integer, positive, and must not overflow once converted and (EX, PX) added to now.
     *
     * @param c the command
     * @param ks the keyspace, for its clock
     * @param command the name quoted in the error, e.g. {@code set}
     * @return the expiry time
     * @throws CommandError {@code not an integer} or {@code invalid expire time in '<command>' command}
     */
    long expireAt(Command c, Keyspace ks, String command) {
        long value = Args.longArg(c, unitArg);
        long unitMillis = unit.startsWith("e") ? 1000 : 1;
        return expireTime(value, unitMillis, absolute(), ks, command);
    }

    /**
     * Converts an expire argument to absolute milliseconds with Redis's checks for SET, SETEX and
     * GETEX: it must be positive and must not overflow.
     */
    static long expireTime(long value, long unitMillis, boolean absolute, Keyspace ks, String command) {
        String invalid = "ERR invalid expire time in '" + command + "' command";
        if (value <= 0 || value > Long.MAX_VALUE / unitMillis) {
            throw new CommandError(invalid);
        }
        long ms = value * unitMillis;
        if (absolute) {
            return ms;
        }
        long now = ks.now();
        if (ms > Long.MAX_VALUE - now) {
            throw new CommandError(invalid);
        }
        return now + ms;
    }
}
