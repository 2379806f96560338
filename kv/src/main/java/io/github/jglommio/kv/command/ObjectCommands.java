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

/**
 * OBJECT ENCODING, REFCOUNT, IDLETIME, FREQ and HELP: what Redis 7.0 with its default
 * configuration would report about a value. Stateless.
 *
 * <p>The store keeps values as plain collections, not in Redis's encodings, so ENCODING derives
 * the encoding from the value's current contents ({@link #encoding(Object)}). Redis instead
 * remembers how a value was built and never converts back: a set that once held 513 integers
 * stays {@code hashtable} after SREM, a string built by APPEND or SETRANGE is {@code raw} even when
 * it is short, one made by INCRBYFLOAT is {@code embstr} even when it reads as an integer, and a
 * sorted set that SORT has read becomes {@code skiplist}. Here all of them report what a value of
 * the same contents made by SET, SADD, HSET or ZADD would.
 *
 * <p>IDLETIME and FREQ read the access data every key carries (see
 * {@link io.github.jglommio.kv.store.MemoryPolicy}): IDLETIME the seconds since the last access,
 * refused under an LFU {@code maxmemory-policy}; FREQ the decayed LFU counter, refused under any
 * other policy; both with Redis's error texts. OBJECT itself is not an access.
 */
final class ObjectCommands {
    /** {@code set-max-intset-entries}. */
    static final int SET_MAX_INTSET_ENTRIES = 512;
    /** {@code hash-max-listpack-entries}: 512 is Redis 7.0's built-in default (its sample redis.conf says 128). */
    static final int HASH_MAX_LISTPACK_ENTRIES = 512;
    /** {@code hash-max-listpack-value}. */
    static final int HASH_MAX_LISTPACK_VALUE = 64;
    /** {@code zset-max-listpack-entries}. */
    static final int ZSET_MAX_LISTPACK_ENTRIES = 128;
    /** {@code zset-max-listpack-value}. */
    static final int ZSET_MAX_LISTPACK_VALUE = 64;
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
        r.atomic("object", -2, "", 0, 0, 0, ObjectCommands::keys, (c, ks, out, x) -> object(c, ks, out));
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

    static Command object(Command c, Keyspace ks, RespWriter out) {
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
        Object value = ks.peek(c.arg(2)); // OBJECT does not count as an access, as in Redis
        if (value == null) {
            out.nullBulk();
            return null;
        }
        switch (name) {
            case "encoding" -> out.bulk(encoding(value).getBytes(StandardCharsets.US_ASCII));
            case "refcount" -> out.integer(refcount(value));
            case "idletime" -> {
                if (ks.memory().policy().isLfu()) {
                    throw new CommandError(LFU);
                }
                out.integer(ks.idleSeconds(c.arg(2)));
            }
            default -> {
                if (!ks.memory().policy().isLfu()) {
                    throw new CommandError(NO_LFU);
                }
                out.integer(ks.frequency(c.arg(2)));
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
     * The encoding Redis 7.0 with default settings gives a value of these contents when it is
     * built by SET, RPUSH, SADD, HSET or ZADD (see the class comment for the differences).
     *
     * @param value a stored value
     * @return {@code int}, {@code embstr} or {@code raw} for a string; {@code quicklist} for a list
     *     (Redis 7.0 has no listpack lists); {@code intset} or {@code hashtable} for a set (nor
     *     listpack sets); {@code listpack} or {@code hashtable} for a hash; {@code listpack} or
     *     {@code skiplist} for a sorted set
     */
    @SuppressWarnings("unchecked")
    static String encoding(Object value) {
        return switch (value) {
            case byte[] s -> isCanonicalLong(s) ? "int" : s.length <= EMBSTR_MAX ? "embstr" : "raw";
            case ListValue list -> "quicklist";
            case HashSet<?> set -> isIntset((HashSet<Key>) set) ? "intset" : "hashtable";
            case HashMap<?, ?> hash -> isListpackHash((HashMap<Key, byte[]>) hash) ? "listpack" : "hashtable";
            case ZSet zset -> isListpackZSet(zset) ? "listpack" : "skiplist";
            default -> throw new IllegalArgumentException("not a keyspace value: " + value.getClass());
        };
    }

    /** 2147483647 for the integers Redis shares (0 to 9999 stored as {@code int}), else 1. */
    static long refcount(Object value) {
        if (value instanceof byte[] s && isCanonicalLong(s)) {
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

    private static boolean isIntset(HashSet<Key> set) {
        if (set.size() > SET_MAX_INTSET_ENTRIES) {
            return false;
        }
        for (Key k : set) {
            if (!isCanonicalLong(k.bytes())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isListpackHash(HashMap<Key, byte[]> hash) {
        if (hash.size() > HASH_MAX_LISTPACK_ENTRIES) {
            return false;
        }
        for (Map.Entry<Key, byte[]> e : hash.entrySet()) {
            if (e.getKey().bytes().length > HASH_MAX_LISTPACK_VALUE || e.getValue().length > HASH_MAX_LISTPACK_VALUE) {
                return false;
            }
        }
        return true;
    }

    private static boolean isListpackZSet(ZSet zset) {
        if (zset.size() > ZSET_MAX_LISTPACK_ENTRIES) {
            return false;
        }
        for (Iterator<ZSet.Item> it = zset.ascending(); it.hasNext(); ) {
            if (it.next().member().bytes().length > ZSET_MAX_LISTPACK_VALUE) {
                return false;
            }
        }
        return true;
    }
}
