package io.github.jglommio.kv.command;

/**
 * Where the server sends a command and how it combines the shards' replies.
 *
 * <p>For the {@code KEYS_*} kinds the server splits the keys (with their values for
 * {@code MSET}/{@code MSETNX}, see {@link CommandSpec#keyStep()}) by owning shard, sends each shard
 * a command of the same name holding only its keys, and gathers as named. For the {@code ALL_*}
 * kinds it sends the command unchanged to every shard.
 */
public enum Routing {
    /** Answered by the server itself without a keyspace (PING, ECHO, CONFIG, ...). */
    SERVER,
    /** One key, at {@link CommandSpec#firstKey()}: run on the owning shard, reply verbatim. */
    KEY,
    /** Several keys: sum the shards' integer replies (DEL, UNLINK, EXISTS). */
    KEYS_SUM,
    /** Several keys: the reply is an array with one element per key, in request order (MGET). */
    KEYS_ARRAY,
    /** Several keys: reply {@code +OK} once every shard has (MSET). */
    KEYS_OK,
    /**
     * MSETNX: set all only if none exists. Across shards this needs two phases (EXISTS on every
     * involved shard, then MSET), and is not atomic against concurrent writers on other
     * connections; on a single shard the executor does it atomically.
     */
    KEYS_MSETNX,
    /**
     * Several keys one command reads and writes together (RENAME, SMOVE, SINTERSTORE, LMOVE,
     * ZUNIONSTORE...), found by {@link CommandSpec#keyIndexes}: run unchanged on the shard that
     * owns them all. Keys on several shards are refused with {@code CROSSSLOT} for now.
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
    ALL_RANDOM
}
