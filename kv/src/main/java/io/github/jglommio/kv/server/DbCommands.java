package io.github.jglommio.kv.server;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.sync.Semaphore;

import java.nio.charset.StandardCharsets;

/**
 * The numbered databases on the connection side: SELECT, SWAPDB, and the hooks the connection,
 * the shards and the watches call for them. Error texts are Redis 7.0's.
 *
 * <p><b>SWAPDB is atomic across the shards.</b> Each shard keeps its part of every database, so a
 * swap changes every shard; no client may see one shard swapped and another not (a GET of a key
 * on shard 0 that sees the new value, then a GET on shard 1 that sees the old). A fanout that each
 * shard applies in its own turn cannot promise that: between two shards' turns a client can read
 * both. So SWAPDB is a cross-shard transaction over the whole keyspace, in the same id order as
 * every other ({@link TxManager}): it first holds every shard (each shard grants it once every
 * earlier transaction there is done, and from then on runs no keyspace command), then every shard
 * swaps its two databases, logs {@code SWAPDB a b} and lets go. The cost, a round trip to every
 * shard with all of them paused in between, is paid only by SWAPDB, which is rare.
 *
 * <p>Inside MULTI on a server of several shards, the EXEC takes the same hold for the whole
 * transaction ({@link HeldRun}), letting only its connection through: the queue runs command by
 * command, a SWAPDB swapping every shard in its place among the others.
 *
 * <p>Threading: the connection's task.
 */
final class DbCommands {
    private static final byte[] SWAPDB = "SWAPDB".getBytes(StandardCharsets.US_ASCII);
    private static final CommandSpec SELECT_SPEC = io.github.jglommio.kv.command.CommandTable.lookup("select");
    private static final CommandSpec SWAPDB_SPEC = io.github.jglommio.kv.command.CommandTable.lookup("swapdb");
    static final String OUT_OF_RANGE = "ERR DB index is out of range";
    static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    static final String INT_RANGE = "ERR value is out of range, value must between " + Integer.MIN_VALUE + " and "
            + Integer.MAX_VALUE;

    private DbCommands() {
    }

    /** SELECT index. */
    static void select(Connection conn, Command c, RespWriter out) {
        Long db = ServerCommands.integer(c, 1);
        if (db == null) {
            out.error(NOT_INTEGER);
        } else if (db < Integer.MIN_VALUE || db > Integer.MAX_VALUE) {
            out.error(INT_RANGE);
        } else if (!conn.shard.dbs.isValid(db)) {
            out.error(OUT_OF_RANGE);
        } else {
            conn.db = (int) (long) db;
            out.ok();
        }
    }

    /**
     * The database selected after {@code c} ran in database {@code db}: a SELECT's, when it would
     * succeed, else {@code db}. MULTI uses it to know where each queued command runs.
     */
    static int dbAfter(CommandSpec spec, Command c, int db, int count) {
        if (spec != SELECT_SPEC || c.argCount() != 2) {
            return db;
        }
        Long n = ServerCommands.integer(c, 1);
        return n != null && n >= 0 && n < count ? (int) (long) n : db;
    }

    /** FLUSHALL or FLUSHDB is about to run in {@code ks}: the watched keys it removes change. */
    static void flushing(Shard shard, CommandSpec spec, Keyspace ks) {
        if (spec.name().equals("flushdb")) {
            shard.watches.flushing(ks);
            return;
        }
        for (int db = 0; db < shard.dbs.count(); db++) {
            Keyspace each = shard.dbs.peek(db);
            if (each != null) {
                shard.watches.flushing(each);
            }
        }
    }

    /** @return whether {@code spec} is SWAPDB */
    static boolean isSwapDb(CommandSpec spec) {
        return spec == SWAPDB_SPEC;
    }

    /**
     * SWAPDB's two indexes, or null after writing its error to {@code out} (when not null).
     */
    static int[] swapArgs(Command c, int count, RespWriter out) {
        String error = null;
        Long a = ServerCommands.integer(c, 1);
        Long b = ServerCommands.integer(c, 2);
        if (a == null || a < Integer.MIN_VALUE || a > Integer.MAX_VALUE) {
            error = "ERR invalid first DB index";
        } else if (b == null || b < Integer.MIN_VALUE || b > Integer.MAX_VALUE) {
            error = "ERR invalid second DB index";
        } else if (a < 0 || a >= count || b < 0 || b >= count) {
            error = OUT_OF_RANGE;
        }
        if (error != null) {
            if (out != null) {
                out.error(error);
            }
            return null;
        }
        return new int[] {(int) (long) a, (int) (long) b};
    }

    /**
     * A SWAPDB inside a transaction's block, on a server of one shard: swaps in its place in the
     * block. Returns the log token.
     */
    static long swapHere(Shard shard, Command c, RespWriter out) {
        int[] ab = swapArgs(c, shard.dbs.count(), out);
        if (ab == null) {
            return 0;
        }
        long token = shard.swap(ab[0], ab[1]);
        out.ok();
        return token;
    }

    /** SWAPDB index1 index2; see the class comment. */
    static void swapDb(Connection conn, Command c, RespWriter out) {
        int[] ab = swapArgs(c, conn.shard.dbs.count(), out);
        if (ab == null) {
            return;
        }
        onEveryShardAtOnce(conn, txid -> TxPart.swap(txid, ab), local -> {
            local.ok();
            return conn.shard.swap(ab[0], ab[1]);
        }, out);
    }

    /**
     * Whether {@code spec} is a FLUSHALL or FLUSHDB that runs on every shard at once
     * ({@link #flushEverywhere}): whenever there are several shards.
     */
    static boolean isAtomicFlush(Shard shard, CommandSpec spec, Command c) {
        return shard.shards > 1 && (spec.name().equals("flushall") || spec.name().equals("flushdb"));
    }

    /**
     * FLUSHALL or FLUSHDB on every shard as one step, as on one Redis: under the whole-keyspace
     * hold SWAPDB takes, so no client sees some shards flushed and others not. Each shard runs the
     * command and logs it; the reply is this shard's (+OK, or the handler's syntax error, which every
     * shard answers alike without flushing) once every shard's record is durable, else the log's error.
     */
    static void flushEverywhere(Connection conn, CommandSpec spec, Command c, RespWriter out) {
        onEveryShardAtOnce(conn, txid -> TxPart.flush(txid, c, conn.db),
                local -> conn.shard.execute(spec, c, local, conn.db), out);
    }

    /**
     * Holds every shard (a whole-keyspace transaction), sends each other shard its part, runs
     * {@code here} on this shard (its reply into a writer of its own; returns its log token), lets
     * go, and answers {@code here}'s reply once every shard's records are durable, else the first
     * log error.
     */
    private static void onEveryShardAtOnce(Connection conn, java.util.function.LongFunction<TxPart> part,
                                           java.util.function.ToLongFunction<RespWriter> here, RespWriter out) {
        Shard shard = conn.shard;
        long txid = holdEveryShard(conn);
        // Every shard logs a part: with several, each marks it, so that replay applies all or none (see kv.aof).
        int[] participants = null;
        if (shard.shards > 1) {
            participants = new int[shard.shards];
            for (int s = 0; s < shard.shards; s++) {
                participants[s] = s;
            }
        }
        int sent = 0;
        TxPart[] parts = new TxPart[shard.shards];
        for (int s = 0; s < shard.shards; s++) {
            if (s != shard.id) {
                parts[s] = part.apply(txid);
                parts[s].participants = participants;
                sent += send(conn, s, parts[s]);
            }
        }
        RespWriter local = new RespWriter(16);
        local.protocol(out.protocol());
        shard.beginPart(txid, participants);
        long token = shard.endPart(participants, here.applyAsLong(local));
        if (participants == null) {
            shard.finishTransaction(txid); // and serves the clients a swap woke
        }
        String failure = token != 0 && !shard.log.awaitDurable(token) ? shard.log.writeError() : null;
        conn.awaitTxReplies(sent);
        for (TxPart p : parts) {
            if (p != null && p.writeError != null && failure == null) {
                failure = p.writeError;
            }
        }
        if (participants != null) {
            CrossShard.release(conn, txid, participants, failure == null, false); // every shard held until all are durable
        }
        if (failure != null) {
            out.error(failure);
        } else {
            out.raw(local.array(), 0, local.size());
        }
    }

    /** The SWAPDB record of the log. */
    static Command swapRecord(int a, int b) {
        return Command.of(SWAPDB, Integer.toString(a).getBytes(StandardCharsets.US_ASCII),
                Integer.toString(b).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Schedules a whole-keyspace transaction on every shard until all accept and hold it (see
     * {@link TxManager}); returns its id.
     */
    static long holdEveryShard(Connection conn) {
        Shard shard = conn.shard;
        int n = shard.shards;
        while (true) {
            long txid = shard.server.nextTxId();
            TxPart[] parts = new TxPart[n];
            int sent = 0;
            for (int s = 0; s < n; s++) {
                if (s != shard.id) {
                    parts[s] = TxPart.lock(txid, null, null);
                    sent += send(conn, s, parts[s]);
                }
            }
            Semaphore active = new Semaphore(0);
            boolean ok = shard.txs.schedule(txid, null, conn, () -> active.signal(1));
            conn.awaitTxReplies(sent);
            if (ok) {
                active.acquire(1);
            }
            for (TxPart p : parts) {
                if (p != null && p.rejected) {
                    ok = false;
                }
            }
            if (ok) {
                return txid;
            }
            // A later transaction got ahead on some shard: give back what was taken, try again later.
            shard.txs.finish(txid);
            int released = 0;
            for (int s = 0; s < n; s++) {
                if (parts[s] != null && !parts[s].rejected) {
                    released += send(conn, s, TxPart.release(txid));
                }
            }
            conn.awaitTxReplies(released);
            LocalExecutor.yieldNow();
        }
    }

    /**
     * Sends {@code p} to shard {@code s} in a batch of its own, not the connection's: SWAPDB may run
     * inside an EXEC's reply, while the connection's batches still hold the pipeline's replies.
     */
    static int send(Connection conn, int s, TxPart p) {
        ShardBatch b = new ShardBatch(conn.shard.id, conn);
        b.txPart = p;
        conn.shard.send(s, b);
        return 1;
    }
}
