package io.github.jglommio.kv.server;

/**
 * One shard's part of a cross-shard transaction, as it travels in a {@link ShardBatch} (see
 * {@link CrossShard}): a LOCK asks the shard to schedule transaction {@link #txid} on
 * {@link #keys} and answers, once the transaction holds them, with their values
 * ({@link #values}, {@link #expireAts}; null for a missing key), or with {@link #rejected} when
 * the shard already scheduled a later transaction (a LOCK without keys holds the whole keyspace,
 * for SWAPDB); an INSTALL sets the keys to the given values
 * (null: delete), logs them, and releases the transaction; a RELEASE only releases it.
 *
 * <p>Under a whole-keyspace hold that a connection keeps for several steps ({@link HeldRun}), a
 * GATHER reads the values of {@link #keys} without scheduling anything, a PUT installs them
 * without releasing, and a SWAP marked {@link #held} swaps without releasing. When such a run
 * changes keys, an OPEN starts the shard's {@code TXPART} block for it before its first change
 * there, and a CLOSE ends the block (an empty one if the shard changed nothing): see
 * {@link HeldRun.Blocks}.
 *
 * <p>Threading: filled by the coordinator, then by the shard, then read by the coordinator, handed
 * over with the batch through the meshes; never two threads at once.
 */
final class TxPart {
    static final int LOCK = 0;
    static final int INSTALL = 1;
    static final int RELEASE = 2;
    /** SWAPDB of each pair of {@link #swaps}, in order, on a shard that holds the whole-keyspace transaction; then a release. */
    static final int SWAP = 3;
    /** FLUSHALL or FLUSHDB {@link #flush} in database {@link #flushDb}, on a shard that holds the whole-keyspace transaction; then a release. */
    static final int FLUSH = 4;
    /** The values of {@link #keys}, on a shard the coordinator already holds; releases nothing. */
    static final int GATHER = 5;
    /** As {@link #INSTALL}, on a shard the coordinator already holds, and keeps holding. */
    static final int PUT = 6;
    /** Opens the shard's {@code TXPART} block of held run {@link #txid} ({@link #participants}); releases nothing. */
    static final int OPEN = 7;
    /** Closes that block ({@code EXEC}), logging it whole first unless {@link #opened}; releases nothing. */
    static final int CLOSE = 8;

    int kind;
    long txid;
    byte[][] keys;
    /** The database of each of {@link #keys}. */
    int[] dbs;
    Object[] values;
    long[] expireAts;
    /** The {@linkplain io.github.jglommio.kv.store.Keyspace#encodingMark encoding mark} of each of {@link #values}, which travels with it. */
    int[] marks;
    /** SWAP: the two databases. */
    int[] swaps;
    /** FLUSH: the command, as the client sent it (its arguments already checked), and its database. */
    io.github.jglommio.kv.resp.Command flush;
    int flushDb;
    /** SWAP: under a hold the coordinator keeps ({@link HeldRun}): no release after it. */
    boolean held;
    /**
     * PUT: its records go into the held run's open {@code TXPART} block on the shard, so they get no
     * {@code MULTI}/{@code EXEC} of their own.
     */
    boolean inBlock;
    /** CLOSE: an OPEN came first; else the shard changed nothing in the run and logs an empty block. */
    boolean opened;
    /**
     * INSTALL, SWAP, FLUSH: the shards that log a part of this transaction (sorted), when two or
     * more do: the shard logs its part as a {@code TXPART} block (see {@code kv.aof}) and keeps the
     * transaction until a RELEASE says every part is durable. Null: the only part, logged plainly
     * and released at once. OPEN, CLOSE: the held run's participants, every shard.
     */
    int[] participants;
    /** RELEASE of a transaction with {@link #participants}: some part could not be made durable. */
    boolean undecided;
    /** LOCK: the shard had scheduled a later transaction; the coordinator retries with a new id. */
    boolean rejected;
    /**
     * INSTALL or RELEASE: the keyspace notifications of this shard's keys that the transaction's
     * commands made, to publish here as it installs (see {@link KeyspaceNotifier}); null for none.
     */
    java.util.List<KeyspaceNotifier.Notice> notices;
    /** INSTALL, PUT, SWAP, FLUSH, CLOSE: the shard's log could not make the records durable; the error to answer. */
    String writeError;

    static TxPart lock(long txid, byte[][] keys, int[] dbs) {
        TxPart p = new TxPart();
        p.kind = LOCK;
        p.txid = txid;
        p.keys = keys;
        p.dbs = dbs;
        return p;
    }

    static TxPart install(long txid, byte[][] keys, int[] dbs, Object[] values, long[] expireAts) {
        TxPart p = new TxPart();
        p.kind = INSTALL;
        p.txid = txid;
        p.keys = keys;
        p.dbs = dbs;
        p.values = values;
        p.expireAts = expireAts;
        return p;
    }

    static TxPart gather(long txid, byte[][] keys, int[] dbs) {
        TxPart p = lock(txid, keys, dbs);
        p.kind = GATHER;
        return p;
    }

    static TxPart put(long txid, byte[][] keys, int[] dbs, Object[] values, long[] expireAts) {
        TxPart p = install(txid, keys, dbs, values, expireAts);
        p.kind = PUT;
        return p;
    }

    static TxPart swap(long txid, int[] pairs) {
        TxPart p = new TxPart();
        p.kind = SWAP;
        p.txid = txid;
        p.swaps = pairs;
        return p;
    }

    static TxPart flush(long txid, io.github.jglommio.kv.resp.Command c, int db) {
        TxPart p = new TxPart();
        p.kind = FLUSH;
        p.txid = txid;
        p.flush = c;
        p.flushDb = db;
        return p;
    }

    static TxPart open(long txid, int[] participants) {
        TxPart p = new TxPart();
        p.kind = OPEN;
        p.txid = txid;
        p.participants = participants;
        return p;
    }

    static TxPart close(long txid, int[] participants, boolean opened) {
        TxPart p = open(txid, participants);
        p.kind = CLOSE;
        p.opened = opened;
        return p;
    }

    /**
     * The end of a transaction whose parts carry {@link #participants}: released once every part
     * is durable ({@code complete}), or once the coordinator gave up on some ({@code complete} false:
     * the shard then never counts the transaction as complete, see {@link TxManager#horizon}).
     */
    static TxPart decided(long txid, boolean complete) {
        TxPart p = release(txid);
        p.undecided = !complete;
        return p;
    }

    static TxPart release(long txid) {
        TxPart p = new TxPart();
        p.kind = RELEASE;
        p.txid = txid;
        p.keys = new byte[0][];
        return p;
    }
}
