package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.command.Routing;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Databases;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.sync.Semaphore;
import io.github.jglommio.LocalExecutor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a command whose keys live on several shards (MSET, MGET, DEL, RENAME, SMOVE, SINTERSTORE,
 * LMOVE, ZUNIONSTORE...), or a transaction (EXEC) whose commands do, so that no client sees half of
 * it, as on one Redis. The connection that received it coordinates, in three steps:
 *
 * <ol>
 * <li><b>Lock.</b> It takes a transaction id from the server's global counter and asks every shard
 *     that owns some of the keys to schedule the transaction on them ({@link TxManager}); each
 *     shard answers once the transaction holds its keys there, with their values. A shard that
 *     already scheduled a later id refuses; the coordinator then releases what it got and retries
 *     with a new id. Commands of other clients on those keys wait meanwhile; others run.</li>
 * <li><b>Run.</b> With every key held, it puts the values into a private keyspace and runs the
 *     commands there, with the usual handlers: the reply is exactly what one keyspace gives.</li>
 * <li><b>Install.</b> It sends each shard the new state of its keys that changed (a shard logs
 *     them as {@code DEL} plus the commands that rebuild the value, inside {@code MULTI}/{@code EXEC}
 *     when there are several) and releases the rest; it replies once every shard's records are
 *     durable under its policy.</li>
 * </ol>
 *
 * The values travel by reference: while the transaction holds a key, nobody but the coordinator
 * touches its value, and the mesh hands it over with a happens-before edge each way.
 *
 * <p>Not here: an EXEC that holds a command on the whole keyspace (DBSIZE, KEYS, FLUSHALL...),
 * SWAPDB, or a SORT whose BY/GET patterns read keys it does not name as keys, cannot know its keys
 * before it runs; on several shards it runs while its connection holds every shard instead
 * ({@link HeldRun}), which uses {@link #runHeld} for the commands whose keys span shards: steps 2
 * and 3 without the locks. Such a held run logs its changes on every shard inside one
 * {@code TXPART} block per shard that names every shard ({@link HeldRun.Blocks}), each opened
 * before the run's first change there; {@link #runHeld} puts its installs into them, and the hold
 * is let go only once every block is durable, as {@link #release} does below.
 *
 * <p><b>Crashes.</b> When two or more shards change keys, each logs its part as a {@code TXPART}
 * block naming the transaction and its participants, and holds the transaction's keys until the
 * coordinator, once every part is durable, releases them ({@link #release}): a restart applies a
 * part only if every participant logged its own (see {@code kv.aof}), so a crash between two
 * shards' writes leaves none of it; and no other client's acknowledged write can depend on a
 * transaction a crash may still drop. A transaction whose changes are on one shard logs plainly.
 *
 * <p>Databases: each command runs in the database its connection had selected when it was planned
 * (an EXEC's queue may SELECT in between); a key is locked, gathered and installed as a
 * (database, key) pair, and the private keyspace has the same numbered databases, so that
 * {@code COPY a b DB 3} or {@code MOVE} inside a transaction see the other database's key. The
 * shards' locks are on key names only, whatever the database: coarser than needed, never wrong.
 *
 * <p>Threading: the coordinating connection's task; it parks while the shards answer.
 */
final class CrossShard {
    private CrossShard() {
    }

    /** A key of one database. */
    private record DbKey(int db, Key key) {
    }

    /** Whether a queued command may change the connection's protocol (HELLO), see {@link #run}. */
    static boolean switchesProtocol(List<CommandSpec> specs) {
        for (CommandSpec s : specs) {
            if (s.name().equals("hello")) {
                return true;
            }
        }
        return false;
    }

    /** Whether any of {@code specs} works on the whole keyspace, which only {@link HeldRun} runs across shards. */
    static boolean hasWholeKeyspaceCommand(List<CommandSpec> specs) {
        for (CommandSpec s : specs) {
            if (s.routing().isWholeKeyspace()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code cmds} (one command, or an EXEC's queue when {@code exec}) over their keys on every
     * shard and writes exactly one reply to {@code out}: the command's, or EXEC's array (a null
     * array if {@code watch} saw a change). Connection commands in an EXEC run in order, here.
     */
    static void run(Connection conn, List<CommandSpec> specs, List<Command> cmds, List<Integer> cmdDbs, boolean exec,
                    WatchState watch, RespWriter out) {
        int n = conn.shard.shards;
        int[][] keyDbs = new int[n][];
        byte[][][] keys = keysByShard(specs, cmds, cmdDbs, n, conn.shard.dbs.count(), keyDbs, null, 0);
        TxPart[] parts = new TxPart[n];
        long txid = lock(conn, keys, keyDbs, parts);
        runOver(conn, txid, parts, specs, cmds, cmdDbs, exec, watch, false, null, out);
    }

    /**
     * Runs one command {@code c} in database {@code db} while the connection holds every shard
     * ({@link HeldRun}, transaction {@code txid}): gathers its keys and {@code extraKeys} (of the
     * same database: the keys SORT's patterns name) from their shards without locking, runs it over
     * them, installs what changed without releasing (into the shards' {@code blocks} of the run,
     * opened on the way; null: a run that changes one shard at most, logged plainly), and writes
     * its reply (or the log's error) to {@code out}.
     */
    static void runHeld(Connection conn, long txid, HeldRun.Blocks blocks, CommandSpec spec, Command c, int db,
                        List<byte[]> extraKeys, RespWriter out) {
        Shard shard = conn.shard;
        int n = shard.shards;
        int[][] keyDbs = new int[n][];
        List<CommandSpec> specs = List.of(spec);
        List<Command> cmds = List.of(c);
        List<Integer> cmdDbs = List.of(db);
        byte[][][] keys = keysByShard(specs, cmds, cmdDbs, n, shard.dbs.count(), keyDbs, extraKeys, db);
        TxPart[] parts = new TxPart[n];
        int sent = 0;
        for (int s = 0; s < n; s++) {
            if (keys[s] == null) {
                continue;
            }
            parts[s] = TxPart.gather(txid, keys[s], keyDbs[s]);
            if (s == shard.id) {
                shard.gather(parts[s]);
            } else {
                sent += conn.sendTx(s, parts[s]);
            }
        }
        conn.awaitTxReplies(sent);
        runOver(conn, txid, parts, specs, cmds, cmdDbs, false, null, true, blocks, out);
    }

    /**
     * Steps 2 and 3 over the gathered {@code parts}: runs the commands in a private keyspace and
     * installs what changed ({@code held}: without releasing the shards, into {@code blocks} if not
     * null); writes the reply or the log's error to {@code out}.
     */
    private static void runOver(Connection conn, long txid, TxPart[] parts, List<CommandSpec> specs,
                                List<Command> cmds, List<Integer> cmdDbs, boolean exec, WatchState watch, boolean held,
                                HeldRun.Blocks blocks, RespWriter out) {
        Shard shard = conn.shard;
        int n = shard.shards;
        int dbCount = shard.dbs.count();
        Databases scratch = new Databases(System::currentTimeMillis, dbCount);
        List<KeyspaceNotifier.Notice> notices = null;
        if (shard.notifier.flags() != 0) {
            notices = new ArrayList<>(); // published by each key's shard as it installs
        }
        Set<DbKey> present = new LinkedHashSet<>();
        Map<DbKey, Integer> owner = new LinkedHashMap<>();
        for (int s = 0; s < n; s++) {
            TxPart p = parts[s];
            if (p == null) {
                continue;
            }
            for (int i = 0; i < p.keys.length; i++) {
                DbKey dk = new DbKey(p.dbs[i], new Key(p.keys[i]));
                owner.put(dk, s);
                if (p.values[i] != null) {
                    Keyspace into = scratch.get(p.dbs[i]);
                    into.set(p.keys[i], p.values[i], p.expireAts[i]);
                    into.setEncodingMark(p.keys[i], p.marks == null ? 0 : p.marks[i]);
                    if (notices != null && into.expireAt(p.keys[i]) == Keyspace.MISSING) {
                        // It died since it was gathered, and the filling dropped it: Redis would tell.
                        shard.notifier.expired(p.dbs[i], p.keys[i], notices);
                    }
                    present.add(dk);
                }
            }
        }

        if (notices != null) {
            shard.notifier.capture(scratch, notices); // from here: the filling above is no event
        }
        RespWriter reply = new RespWriter(256);
        reply.protocol(out.protocol()); // the connection's: RESP2 or RESP3
        Set<DbKey> changed = new LinkedHashSet<>();
        if (exec && watch != null && watch.isDirty(System.currentTimeMillis())) {
            reply.nullArray();
        } else {
            if (exec) {
                reply.arrayHeader(cmds.size());
            }
            for (int k = 0; k < cmds.size(); k++) {
                CommandSpec spec = specs.get(k);
                Command c = cmds.get(k);
                if (spec.routing() == Routing.SERVER) {
                    ServerCommands.execute(conn, spec, c, reply);
                    reply.protocol(conn.protocol); // a HELLO: the next replies are in its protocol
                    continue;
                }
                shard.commandsProcessed++;
                long started = System.nanoTime();
                int mark = reply.size();
                int db = cmdDbs.get(k);
                Command logged = shard.commands.execute(spec, c, scratch.get(db), reply);
                shard.stats.ran(spec, c, started, reply, mark, conn); // INFO commandstats, slow log
                if (logged != null) {
                    int[] idx = CommandTable.keyIndexesOf(logged);
                    if (idx != null) {
                        for (int i : idx) {
                            changed.add(new DbKey(DbKeys.dbOfKey(logged, i, db, dbCount), new Key(logged.arg(i))));
                        }
                    }
                    int other = DbKeys.otherDb(logged, dbCount);
                    if (other >= 0) {
                        changed.add(new DbKey(other, new Key(logged.arg(1))));
                    }
                }
            }
        }
        for (DbKey k : present) {
            if (!scratch.get(k.db()).exists(k.key().bytes())) {
                changed.add(k); // deleted, or expired while the transaction ran
            }
        }
        String failure = install(conn, txid, parts, scratch, changed, owner, held, notices, blocks);
        if (failure != null) {
            out.error(failure);
        } else {
            out.raw(reply.array(), 0, reply.size());
        }
    }

    /** The (database, key) pairs of the commands and of {@code extra} (keys of database {@code extraDb}), by shard. */
    private static byte[][][] keysByShard(List<CommandSpec> specs, List<Command> cmds, List<Integer> cmdDbs, int n,
                                          int dbCount, int[][] keyDbs, List<byte[]> extra, int extraDb) {
        List<List<byte[]>> perShard = new ArrayList<>();
        List<List<Integer>> dbsPerShard = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            perShard.add(null);
            dbsPerShard.add(null);
        }
        for (int k = 0; k < cmds.size(); k++) {
            CommandSpec spec = specs.get(k);
            if (spec.routing() == Routing.SERVER) {
                continue;
            }
            Command c = cmds.get(k);
            int[] idx = spec.keyIndexes(c);
            if (idx == null) {
                continue; // malformed: the handler answers the error, on no key
            }
            int db = cmdDbs.get(k);
            for (int i : idx) {
                addKey(perShard, dbsPerShard, c.arg(i), DbKeys.dbOfKey(c, i, db, dbCount), n);
            }
            int other = DbKeys.otherDb(c, dbCount);
            if (other >= 0) {
                addKey(perShard, dbsPerShard, c.arg(1), other, n); // MOVE's key in its new database
            }
        }
        if (extra != null) {
            for (byte[] key : extra) {
                addKey(perShard, dbsPerShard, key, extraDb, n);
            }
        }
        byte[][][] keys = new byte[n][][];
        for (int s = 0; s < n; s++) {
            keys[s] = perShard.get(s) == null ? null : perShard.get(s).toArray(new byte[0][]);
            keyDbs[s] = perShard.get(s) == null ? null
                    : dbsPerShard.get(s).stream().mapToInt(Integer::intValue).toArray();
        }
        return keys;
    }

    private static void addKey(List<List<byte[]>> perShard, List<List<Integer>> dbsPerShard, byte[] key, int db,
                               int n) {
        int s = KeyHash.shardOf(key, n);
        if (perShard.get(s) == null) {
            perShard.set(s, new ArrayList<>());
            dbsPerShard.set(s, new ArrayList<>());
        }
        perShard.get(s).add(key);
        dbsPerShard.get(s).add(db);
    }

    /** The notices of shard {@code s}'s keys among {@code all} (null: none), in order. */
    private static List<KeyspaceNotifier.Notice> noticesOf(List<KeyspaceNotifier.Notice> all, int s) {
        if (all == null || all.isEmpty()) {
            return null;
        }
        List<KeyspaceNotifier.Notice> mine = new ArrayList<>();
        for (KeyspaceNotifier.Notice n : all) {
            if (n.shard() == s) {
                mine.add(n);
            }
        }
        return mine.isEmpty() ? null : mine;
    }

    /** Step 1: schedules a new transaction on every shard with keys until all accept; fills {@code parts}. */
    private static long lock(Connection conn, byte[][][] keys, int[][] keyDbs, TxPart[] parts) {
        Shard shard = conn.shard;
        int own = shard.id;
        while (true) {
            long txid = shard.server.nextTxId();
            int sent = 0;
            for (int s = 0; s < keys.length; s++) {
                parts[s] = null;
                if (s != own && keys[s] != null) {
                    parts[s] = TxPart.lock(txid, keys[s], keyDbs[s]);
                    sent += conn.sendTx(s, parts[s]);
                }
            }
            boolean ok = true;
            if (keys[own] != null) {
                TxPart p = TxPart.lock(txid, keys[own], keyDbs[own]);
                parts[own] = p;
                Semaphore active = new Semaphore(0);
                ok = shard.txs.schedule(txid, keys[own], () -> {
                    shard.gather(p);
                    active.signal(1);
                });
                conn.awaitTxReplies(sent);
                if (ok) {
                    active.acquire(1); // at once if it was active at schedule; else when it is
                }
            } else {
                conn.awaitTxReplies(sent);
            }
            for (int s = 0; s < keys.length; s++) {
                if (s != own && parts[s] != null && parts[s].rejected) {
                    ok = false;
                }
            }
            if (ok) {
                return txid;
            }
            // A later transaction got ahead on some shard: give back what was taken, try again later.
            int released = 0;
            for (int s = 0; s < keys.length; s++) {
                if (parts[s] == null) {
                    continue;
                }
                if (s == own) {
                    shard.txs.finish(txid); // no-op if it was refused here
                } else if (!parts[s].rejected) {
                    released += conn.sendTx(s, TxPart.release(txid));
                }
            }
            conn.awaitTxReplies(released);
            LocalExecutor.yieldNow();
        }
    }

    /**
     * The end of a transaction whose {@code participants} logged marked parts: each holds the
     * transaction (its keys, or the whole keyspace) until now, when every part is durable
     * ({@code complete}) or some failed, so that nothing that read a part's result is acknowledged
     * before the transaction is complete on every shard, and so that a shard's log horizon counts
     * only complete transactions ({@link TxManager#horizon}). Waits for the releases. With
     * {@code connectionBatches} the messages travel in the connection's own batches (free again once
     * the parts were answered), else in new ones (SWAPDB and FLUSHALL may run while the
     * connection's batches still hold a pipeline's replies).
     */
    static void release(Connection conn, long txid, int[] participants, boolean complete, boolean connectionBatches) {
        Shard shard = conn.shard;
        int sent = 0;
        boolean here = false;
        for (int s : participants) {
            if (s == shard.id) {
                here = true;
            } else if (connectionBatches) {
                sent += conn.sendTx(s, TxPart.decided(txid, complete));
            } else {
                ShardBatch b = new ShardBatch(shard.id, conn);
                b.txPart = TxPart.decided(txid, complete);
                shard.send(s, b);
                sent++;
            }
        }
        if (here) {
            if (!complete) {
                shard.txs.undecided(txid);
            }
            shard.finishTransaction(txid);
        }
        conn.awaitTxReplies(sent);
    }

    /**
     * Step 3: sends each shard the new state of its changed keys (or only a release), installs this
     * shard's, waits until all are durable; returns the log's error if some shard's could not be.
     * Under a hold ({@code held}) the new states go into the run's {@code blocks}, each opened first.
     */
    private static String install(Connection conn, long txid, TxPart[] parts, Databases scratch, Set<DbKey> changed,
                                  Map<DbKey, Integer> owner, boolean held,
                                  List<KeyspaceNotifier.Notice> notices, HeldRun.Blocks blocks) {
        Shard shard = conn.shard;
        int n = parts.length;
        List<List<DbKey>> perShard = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            perShard.add(new ArrayList<>());
        }
        for (DbKey k : changed) {
            Integer s = owner.get(k);
            if (s != null) {
                perShard.get(s).add(k);
            }
        }
        int changing = 0;
        for (int s = 0; s < n; s++) {
            if (parts[s] != null && !perShard.get(s).isEmpty()) {
                changing++;
            }
        }
        // Two or more shards log a part: each marks it, so that replay applies all or none (see kv.aof).
        int[] participants = changing > 1 && !held ? new int[changing] : null; // a held run: its blocks
        for (int s = 0, i = 0; participants != null && s < n; s++) {
            if (parts[s] != null && !perShard.get(s).isEmpty()) {
                participants[i++] = s;
            }
        }
        int sent = 0;
        TxPart[] sentParts = new TxPart[n];
        TxPart local = null;
        for (int s = 0; s < n; s++) {
            if (parts[s] == null) {
                continue;
            }
            List<DbKey> ks = perShard.get(s);
            TxPart p;
            if (ks.isEmpty()) {
                if (held) {
                    continue; // nothing to install, and the hold stays
                }
                p = TxPart.release(txid);
            } else {
                byte[][] keys = new byte[ks.size()][];
                int[] dbs = new int[ks.size()];
                Object[] values = new Object[ks.size()];
                int[] marks = new int[ks.size()];
                long[] exps = new long[ks.size()];
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = ks.get(i).key().bytes();
                    dbs[i] = ks.get(i).db();
                    Keyspace db = scratch.get(dbs[i]);
                    values[i] = db.get(keys[i]);
                    exps[i] = values[i] == null ? Keyspace.MISSING : db.expireAt(keys[i]);
                    marks[i] = db.encodingMark(keys[i]);
                }
                p = held ? TxPart.put(txid, keys, dbs, values, exps) : TxPart.install(txid, keys, dbs, values, exps);
                p.participants = participants;
                if (blocks != null) {
                    sent += blocks.open(conn, s); // ahead of the PUT, which goes into the block
                    p.inBlock = true;
                }
                p.marks = marks;
            }
            p.notices = noticesOf(notices, s);
            if (s == shard.id) {
                local = p;
            } else {
                sentParts[s] = p;
                sent += conn.sendTx(s, p);
            }
        }
        String failure = null;
        if (local != null) {
            long token = 0;
            if (local.kind != TxPart.RELEASE) {
                token = shard.install(local);
            } else {
                shard.notifier.publishAll(local.notices);
            }
            if (!held && local.participants == null) {
                shard.finishTransaction(txid);
            }
            if (token != 0 && !shard.log.awaitDurable(token)) {
                failure = shard.log.writeError();
            }
        }
        conn.awaitTxReplies(sent);
        for (TxPart p : sentParts) {
            if (p != null && p.writeError != null && failure == null) {
                failure = p.writeError;
            }
        }
        if (participants != null) {
            release(conn, txid, participants, failure == null, true);
        }
        return failure;
    }
}
