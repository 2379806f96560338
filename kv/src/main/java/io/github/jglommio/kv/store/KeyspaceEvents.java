package io.github.jglommio.kv.store;

/**
 * Keyspace notifications ({@code notify-keyspace-events}): the event classes, their letters as
 * Redis 7.0 spells them, and the listener a {@link Databases} tells of every event of a class that
 * is on.
 *
 * <p>A command tells its keyspace what it did ({@link Keyspace#notify(int, String, byte[])}, with
 * Redis's event name: {@code "set"}, {@code "lpush"}, {@code "del"}...); the keyspace passes it on
 * only when its class is on, so with notifications off (the default) an event costs its caller one
 * field read and a compare. The listener (the server) turns it into the {@code __keyspace@db__:key}
 * and {@code __keyevent@db__:event} messages.
 *
 * <p>Eviction ({@link Databases#evictToFit}) tells {@code notify(EVICTED, "evicted", key)} as it
 * removes each key, after the key is gone, as Redis does.
 *
 * <p>Stateless; the constants and {@link #parse}/{@link #format} may be used from any thread.
 */
public final class KeyspaceEvents {

    /** {@code K}: publish {@code __keyspace@<db>__:<key>} with the event as the message. */
    public static final int KEYSPACE = 1;
    /** {@code E}: publish {@code __keyevent@<db>__:<event>} with the key as the message. */
    public static final int KEYEVENT = 1 << 1;
    /** {@code g}: DEL, EXPIRE, RENAME... events of no type. */
    public static final int GENERIC = 1 << 2;
    /** {@code $}: string commands. */
    public static final int STRING = 1 << 3;
    /** {@code l}: list commands. */
    public static final int LIST = 1 << 4;
    /** {@code s}: set commands. */
    public static final int SET = 1 << 5;
    /** {@code h}: hash commands. */
    public static final int HASH = 1 << 6;
    /** {@code z}: sorted set commands. */
    public static final int ZSET = 1 << 7;
    /** {@code x}: a key died because its time passed. */
    public static final int EXPIRED = 1 << 8;
    /** {@code e}: a key was evicted for maxmemory. */
    public static final int EVICTED = 1 << 9;
    /** {@code t}: stream commands (this server has no streams). */
    public static final int STREAM = 1 << 10;
    /** {@code m}: a read of a key that is missing (not part of {@code A}). */
    public static final int KEY_MISS = 1 << 11;
    /** {@code d}: module events (this server has no modules). */
    public static final int MODULE = 1 << 12;
    /** {@code n}: a key was added (not part of {@code A}). */
    public static final int NEW = 1 << 13;
    /** {@code A}: {@code g$lshzxetd}. */
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** Told of each event whose class is on. */
    @FunctionalInterface
    public interface Listener {
        /**
         * Event {@code event} happened to {@code key} of database {@code db}.
         *
         * @param db the database's index at that moment
         * @param event Redis's event name
         * @param key the key's bytes; not to be modified
         */
        void event(int db, String event, byte[] key);
    }

    private KeyspaceEvents() {
    }

    /**
     * The classes a {@code notify-keyspace-events} string turns on, as Redis reads it: each letter of
     * {@code KEg$lshzxetmdnA} in any order and number.
     *
     * @param flags the string, e.g. {@code "KEA"} or {@code "Egx"}
     * @return the classes, or -1 for a string with any other character
     */
    public static int parse(String flags) {
        int f = 0;
        for (int i = 0; i < flags.length(); i++) {
            f |= switch (flags.charAt(i)) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 't' -> STREAM;
                case 'm' -> KEY_MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                default -> -1;
            };
            if (f == -1) {
                return -1;
            }
        }
        return f;
    }

    /**
     * The string CONFIG GET prints for {@code flags}, as Redis 7.0 makes it: {@code A} for all of
     * {@code g$lshzxetd}, else those letters (and {@code n}) in that order; then {@code K}, {@code E},
     * {@code m}. Like Redis, it leaves {@code n} out after an {@code A}.
     *
     * @param flags classes from {@link #parse}
     * @return the normalised string
     */
    public static String format(int flags) {
        StringBuilder s = new StringBuilder();
        if ((flags & ALL) == ALL) {
            s.append('A');
        } else {
            letter(s, flags, GENERIC, 'g');
            letter(s, flags, STRING, '$');
            letter(s, flags, LIST, 'l');
            letter(s, flags, SET, 's');
            letter(s, flags, HASH, 'h');
            letter(s, flags, ZSET, 'z');
            letter(s, flags, EXPIRED, 'x');
            letter(s, flags, EVICTED, 'e');
            letter(s, flags, STREAM, 't');
            letter(s, flags, MODULE, 'd');
            letter(s, flags, NEW, 'n');
        }
        letter(s, flags, KEYSPACE, 'K');
        letter(s, flags, KEYEVENT, 'E');
        letter(s, flags, KEY_MISS, 'm');
        return s.toString();
    }

    /**
     * A string that {@link #parse} reads back as {@code flags}: {@link #format}'s, with the
     * {@code n} that it drops after an {@code A} put back (kept as the setting's value, so that
     * CONFIG SET {@code KEAn} keeps new-key events on while CONFIG GET shows {@code AKE}).
     *
     * @param flags classes from {@link #parse}
     * @return the string
     */
    public static String lossless(int flags) {
        String s = format(flags);
        return (flags & ALL) == ALL && (flags & NEW) != 0 ? s + "n" : s;
    }

    private static void letter(StringBuilder s, int flags, int bit, char c) {
        if ((flags & bit) != 0) {
            s.append(c);
        }
    }

    /**
     * The classes that produce messages: none unless {@code K} or {@code E} is on, as in Redis.
     *
     * @param flags classes from {@link #parse}
     * @return {@code flags}, or 0 when neither {@code K} nor {@code E} is on
     */
    public static int effective(int flags) {
        return (flags & (KEYSPACE | KEYEVENT)) == 0 ? 0 : flags;
    }
}
