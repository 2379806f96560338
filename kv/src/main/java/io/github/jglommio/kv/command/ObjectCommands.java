package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.ListValue;
import io.github.jglommio.kv.store.ZSet;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * OBJECT ENCODING, REFCOUNT, IDLETIME, FREQ and HELP: what Redis 7.0 would report about a value.
 * Stateless; the state is in the keyspace (access times, encoding marks) and {@link EncodingLimits}.
 *
 * <p>Encodings. The store keeps values as plain collections, not in Redis's encodings, but it keeps
 * beside each value a mark ({@link Keyspace#encodingMark}) that remembers what Redis's encoding
 * would be where contents alone cannot tell: Redis converts a set, hash or sorted set to its big
 * encoding ({@code hashtable}, {@code skiplist}) once it outgrows the limits in force and never
 * converts back, so after every write ({@link #afterWrite}) a value that no longer fits the limits
 * is marked {@link #BIG} for good; a new value (SINTERSTORE, ZUNIONSTORE... build new ones) starts
 * unmarked and is judged by its contents, as Redis builds those results compact first. SORT makes a
 * sorted set a skiplist. A string built in place by APPEND, SETRANGE, SETBIT or BITFIELD is
 * {@code raw} ({@link #RAW}) and one made by INCRBYFLOAT is never {@code int} ({@link #NOT_INT});
 * SET, INCR and the like give a new string judged by its contents. RENAME, MOVE and COPY carry the
 * mark. Lists are always {@code quicklist} in Redis 7.0.
 *
 * <p>IDLETIME and FREQ read the access data every key carries (see
 * {@link io.github.jglommio.kv.store.MemoryPolicy}, which keeps it beside the encoding mark):
 * IDLETIME the seconds since the last access, refused under an LFU {@code maxmemory-policy}; FREQ
 * the decayed LFU counter, refused under any other policy; both with Redis's error texts. OBJECT
 * itself is not an access.
 */
final class ObjectCommands {
    /** Encoding mark of a value not yet judged: its contents decide. */
    static final int FRESH = 0;
    /** Encoding mark of a set, hash or sorted set that fitted the compact encoding after its last write. */
    static final int COMPACT = 1;
    /** Encoding mark of a set, hash or sorted set in its big encoding, for good. */
    static final int BIG = 2;
    /** Encoding mark of a string modified in place: {@code raw} whatever it holds. */
    static final int RAW = 3;
    /** Encoding mark of a string made by INCRBYFLOAT: {@code embstr} or {@code raw} by its length, never {@code int}. */
    static final int NOT_INT = 4;
    /** Encoding mark of a string COPY made: judged by its contents, but never one of the shared integers. */
    static final int UNSHARED = 5;
    /** The longest string Redis keeps in one allocation with its object header ({@code embstr}). */
    static final int EMBSTR_MAX = 44;
    /** Redis shares one object for each integer in [0, this), with the reference count below. */
    static final int SHARED_INTEGERS = 10_000;
    /** The reference count Redis reports for a shared object ({@code INT_MAX}). */
    static final int SHARED_REFCOUNT = Integer.MAX_VALUE;

    /** The lines of the OBJECT HELP reply, as Redis 7.0 sends them (status replies). */
    private static final String[] HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    };

    private static final String NO_LFU = "ERR An LFU maxmemory policy is not selected, access frequency not"
            + " tracked. Please note that when switching between policies at runtime LRU and LFU data will take"
            + " some time to adjust.";

    private static final String LFU = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please"
            + " note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

    private ObjectCommands() {
    }

    static void register(Registry r) {
        // A container command: COMMAND INFO gives no key for OBJECT itself; the key of a
        // subcommand is argument 2, which the finder names so that the key's shard answers.
        r.atomic("object", -2, "", 0, 0, 0, ObjectCommands::keys, (c, ks, out, x) -> object(c, ks, out, x.limits()));
    }

    /** The key of OBJECT ENCODING/REFCOUNT/IDLETIME/FREQ; none for HELP and malformed forms. */
    private static int[] keys(Command c) {
        if (c.argCount() == 3 && keyed(c.arg(1))) {
            return new int[] {2};
        }
        return new int[0];
    }

    private static boolean keyed(byte[] sub) {
        return Args.is(sub, "encoding") || Args.is(sub, "refcount") || Args.is(sub, "idletime")
                || Args.is(sub, "freq");
    }

    static Command object(Command c, Keyspace ks, RespWriter out, EncodingLimits limits) {
        byte[] sub = c.arg(1);
        if (Args.is(sub, "help")) {
            if (c.argCount() != 2) {
                throw new CommandError("ERR wrong number of arguments for 'object|help' command");
            }
            out.arrayHeader(HELP.length);
            for (String line : HELP) {
                out.simpleString(line);
            }
            return null;
        }
        if (!keyed(sub)) {
            throw new CommandError("ERR unknown subcommand '" + clip(sub) + "'. Try OBJECT HELP.");
        }
        String name = new String(sub, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        if (c.argCount() != 3) {
            throw new CommandError("ERR wrong number of arguments for 'object|" + name + "' command");
        }
        byte[] key = c.arg(2);
        Object value = ks.peek(key); // OBJECT does not count as an access, as in Redis
        if (value == null) {
            out.nullBulk();
            return null;
        }
        switch (name) {
            case "encoding" -> out.bulk(encoding(value, ks.encodingMark(key), limits).getBytes(StandardCharsets.US_ASCII));
            case "refcount" -> out.integer(refcount(value, ks.encodingMark(key)));
            case "idletime" -> {
                if (ks.memory().policy().isLfu()) {
                    throw new CommandError(LFU);
                }
                out.integer(ks.idleSeconds(key));
            }
            default -> {
                if (!ks.memory().policy().isLfu()) {
                    throw new CommandError(NO_LFU);
                }
                out.integer(ks.frequency(key));
            }
        }
        return null;
    }

    /** A client's argument as Redis quotes it in this error: a C string of at most 128 bytes. */
    private static String clip(byte[] arg) {
        int n = 0;
        while (n < arg.length && n < 128 && arg[n] != 0) {
            n++;
        }
        return new String(arg, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * The encoding Redis 7.0 reports for a value with this mark (see the class comment).
     *
     * @param value a stored value
     * @param mark its {@linkplain Keyspace#encodingMark encoding mark}
     * @param limits the limits in force, for a value its mark does not decide
     * @return {@code int}, {@code embstr} or {@code raw} for a string; {@code quicklist} for a list
     *     (Redis 7.0 has no listpack lists); {@code intset} or {@code hashtable} for a set (nor
     *     listpack sets); {@code listpack} or {@code hashtable} for a hash; {@code listpack} or
     *     {@code skiplist} for a sorted set
     */
    @SuppressWarnings("unchecked")
    static String encoding(Object value, int mark, EncodingLimits limits) {
        return switch (value) {
            case byte[] s -> mark == RAW ? "raw"
                    : mark != NOT_INT && isCanonicalLong(s) ? "int" : s.length <= EMBSTR_MAX ? "embstr" : "raw";
            case ListValue list -> "quicklist";
            case HashSet<?> set -> compact(mark, () -> fitsIntset((HashSet<Key>) set, limits)) ? "intset" : "hashtable";
            case HashMap<?, ?> hash -> compact(mark, () -> fitsListpack((HashMap<Key, byte[]>) hash, limits))
                    ? "listpack" : "hashtable";
            case ZSet zset -> compact(mark, () -> fitsListpack(zset, limits)) ? "listpack" : "skiplist";
            default -> throw new IllegalArgumentException("not a keyspace value: " + value.getClass());
        };
    }

    private static boolean compact(int mark, BooleanSupplier fits) {
        return mark == COMPACT || (mark != BIG && fits.getAsBoolean());
    }

    /**
     * The encoding mark of a set, hash or sorted set after a write to it, as Redis converts it: a
     * value that is big, or no longer fits the limits, is big for good. A value changed in place
     * that fitted before is scanned again only when an argument could have broken a limit; the
     * scan covers at most the entry limit's worth of elements. Strings and lists keep their mark.
     *
     * @param value the value written
     * @param mark its mark before
     * @param c the write command
     * @param keys the argument positions of {@code c}'s keys (not elements)
     * @param limits the limits in force
     * @return the new mark
     */
    @SuppressWarnings("unchecked")
    static int afterWrite(Object value, int mark, Command c, int[] keys, EncodingLimits limits) {
        if (mark == BIG) {
            return BIG;
        }
        return switch (value) {
            case HashSet<?> set -> {
                if (set.size() > limits.setMaxIntsetEntries()) {
                    yield BIG;
                }
                if (mark == COMPACT && elementArgs(c, keys, a -> isCanonicalLong(a))) {
                    yield COMPACT;
                }
                yield fitsIntset((HashSet<Key>) set, limits) ? COMPACT : BIG;
            }
            case HashMap<?, ?> hash -> {
                if (hash.size() > limits.hashMaxListpackEntries()) {
                    yield BIG;
                }
                // HINCRBYFLOAT stores a value of its own making, which may be long.
                long max = limits.hashMaxListpackValue();
                if (mark == COMPACT && !Args.is(c.arg(0), "hincrbyfloat") && elementArgs(c, keys, a -> a.length <= max)) {
                    yield COMPACT;
                }
                yield fitsListpack((HashMap<Key, byte[]>) hash, limits) ? COMPACT : BIG;
            }
            case ZSet zset -> {
                if (zset.size() > limits.zsetMaxListpackEntries()) {
                    yield BIG;
                }
                long max = limits.zsetMaxListpackValue();
                if (mark == COMPACT && elementArgs(c, keys, a -> a.length <= max)) {
                    yield COMPACT;
                }
                yield fitsListpack(zset, limits) ? COMPACT : BIG;
            }
            default -> mark;
        };
    }

    /**
     * How many steps Redis takes to free a value: one for a string or a compact encoding; the
     * elements of a hashtable or skiplist; the nodes of a quicklist (8 KiB of elements each, at the
     * default {@code list-max-listpack-size}).
     *
     * @param value a stored value
     * @param mark its encoding mark
     * @param limits the limits in force
     * @return the effort, at least 1
     */
    static long freeEffort(Object value, int mark, EncodingLimits limits) {
        return switch (value) {
            case ListValue list -> {
                long bytes = 0;
                long nodes = 1;
                for (byte[] e : list) {
                    long size = e.length + 11L; // an entry's own header and back-length, at most
                    if (bytes + size > LIST_NODE_BYTES && bytes > 0) {
                        nodes++;
                        bytes = 0;
                    }
                    bytes += size;
                }
                yield nodes;
            }
            case HashSet<?> set -> encoding(value, mark, limits).equals("hashtable") ? set.size() : 1;
            case HashMap<?, ?> hash -> encoding(value, mark, limits).equals("hashtable") ? hash.size() : 1;
            case ZSet zset -> encoding(value, mark, limits).equals("skiplist") ? zset.size() : 1;
            default -> 1;
        };
    }

    /** The bytes of one quicklist node's listpack at Redis's default {@code list-max-listpack-size -2}. */
    private static final int LIST_NODE_BYTES = 8192;

    /** Whether every argument of {@code c} after its name that is not a key passes {@code ok}. */
    private static boolean elementArgs(Command c, int[] keys, Predicate<byte[]> ok) {
        int k = 0;
        for (int i = 1; i < c.argCount(); i++) {
            if (k < keys.length && keys[k] == i) {
                k++;
                continue;
            }
            if (!ok.test(c.arg(i))) {
                return false;
            }
        }
        return true;
    }

    /** 2147483647 for the integers Redis shares (0 to 9999 stored as {@code int}), else 1. */
    static long refcount(Object value, int mark) {
        if (value instanceof byte[] s && mark != RAW && mark != NOT_INT && mark != UNSHARED && isCanonicalLong(s)) {
            long v = Long.parseLong(new String(s, StandardCharsets.US_ASCII));
            if (v >= 0 && v < SHARED_INTEGERS) {
                return SHARED_REFCOUNT;
            }
        }
        return 1;
    }

    /**
     * Whether Redis would store these bytes as a 64-bit integer: the canonical decimal form of a
     * {@code long}, without sign {@code +}, leading zeros or {@code -0}.
     *
     * @param s the bytes
     * @return {@code true} for a canonical long
     */
    static boolean isCanonicalLong(byte[] s) {
        int n = s.length;
        if (n == 0 || n > 20) {
            return false;
        }
        int i = s[0] == '-' ? 1 : 0;
        if (i == n || s[i] < '0' || s[i] > '9' || (s[i] == '0' && (n > 1))) {
            return false; // "-", "", a non-digit, "-0", or a leading zero ("0" alone is fine)
        }
        for (int k = i + 1; k < n; k++) {
            if (s[k] < '0' || s[k] > '9') {
                return false;
            }
        }
        try {
            Long.parseLong(new String(s, StandardCharsets.US_ASCII));
            return true;
        } catch (NumberFormatException e) {
            return false; // beyond the 64-bit range
        }
    }

    /** Whether a set fits {@code intset}: few enough members, every one an integer. */
    static boolean fitsIntset(HashSet<Key> set, EncodingLimits limits) {
        if (set.size() > limits.setMaxIntsetEntries()) {
            return false;
        }
        for (Key k : set) {
            if (!isCanonicalLong(k.bytes())) {
                return false;
            }
        }
        return true;
    }

    private static boolean fitsListpack(HashMap<Key, byte[]> hash, EncodingLimits limits) {
        if (hash.size() > limits.hashMaxListpackEntries()) {
            return false;
        }
        long max = limits.hashMaxListpackValue();
        for (Map.Entry<Key, byte[]> e : hash.entrySet()) {
            if (e.getKey().bytes().length > max || e.getValue().length > max) {
                return false;
            }
        }
        return true;
    }

    private static boolean fitsListpack(ZSet zset, EncodingLimits limits) {
        if (zset.size() > limits.zsetMaxListpackEntries()) {
            return false;
        }
        long max = limits.zsetMaxListpackValue();
        for (Iterator<ZSet.Item> it = zset.ascending(); it.hasNext(); ) {
            if (it.next().member().bytes().length > max) {
                return false;
            }
        }
        return true;
    }
}
