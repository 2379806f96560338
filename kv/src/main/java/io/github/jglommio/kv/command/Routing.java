package io.github.jglommio.kv.command;

/**
 * Where the server sends a command and how it combines the shards' replies.
 *
 * <p>Every {@code KEYS_*} kind runs the command unchanged on the shard that owns all its keys
 * ({@link CommandSpec#keyIndexes}), and as one cross-shard transaction when they live on several
 * shards, so that no client sees half of it; the kinds name the reply's shape. For the {@code ALL_*}
 * kinds the server sends the command unchanged to every shard and merges the replies.
 */
public enum Routing {
    /** Answered by the server itself without a keyspace (PING, ECHO, CONFIG, ...). */
    SERVER,
    /** One key, at {@link CommandSpec#firstKey()}: run on the owning shard, reply verbatim. */
    KEY,
    /** Several keys, an integer reply (DEL, UNLINK, EXISTS, TOUCH). */
    KEYS_SUM,
    /** Several keys, an array with one element per key, in request order (MGET). */
    KEYS_ARRAY,
    /** Several keys with values, {@code +OK} (MSET). */
    KEYS_OK,
    /** MSETNX: set all only if none exists. */
    KEYS_MSETNX,
    /**
     * Several keys one command reads and writes together (RENAME, SMOVE, SINTERSTORE, LMOVE,
     * ZUNIONSTORE...), found by {@link CommandSpec#keyIndexes}.
     */
    KEYS_ATOMIC,
    /** Every shard: sum the integer replies (DBSIZE). */
    ALL_SUM,
    /** Every shard: reply {@code +OK} once all have (FLUSHALL, FLUSHDB). */
    ALL_OK,
    /** Every shard: concatenate the array replies (KEYS). */
    ALL_ARRAY,
    /** SCAN: the server encodes the shard index in the cursor and runs one shard at a time. */
    ALL_SCAN,
    /** RANDOMKEY: ask shards (for example starting at a random one) until one returns a key. */
    ALL_RANDOM,
    /**
     * A script (EVAL, EVALSHA, FCALL and their {@code _RO} forms): it runs, in one go, on the shard
     * that owns every key it declares ({@link CommandSpec#keyIndexes}: the numkeys keys), the
     * connection's own shard when it declares none.
     */
    SCRIPT;

    /** @return whether a command of this kind works on a shard's whole keyspace (the {@code ALL_*} kinds) */
    public boolean isWholeKeyspace() {
        return this == ALL_SUM || this == ALL_OK || this == ALL_ARRAY || this == ALL_SCAN || this == ALL_RANDOM;
    }
}
