package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.Cursors;
import io.github.jglommio.kv.command.Routing;
import io.github.jglommio.kv.command.SortCommand;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.util.List;

/**
 * What runs while one connection holds every shard: an EXEC that a server of several shards
 * cannot run on one shard's keys or over a few keys' locks, and a SORT whose patterns name keys.
 *
 * <p><b>The hold.</b> The connection takes the whole-keyspace transaction SWAPDB and FLUSHALL use
 * ({@link DbCommands#holdEveryShard}): one id in the global order, granted by each shard once its
 * earlier transactions are done; from then on every shard runs no keyspace command but this
 * connection's, and serves no blocked client, until the connection lets go. So whatever the
 * connection does in between, in as many steps as it likes, no other client sees a part of it,
 * and it sees no other client's writes: what one Redis gives a transaction.
 *
 * <p><b>EXEC under the hold</b> ({@link #exec}), when the queue holds a whole-keyspace command
 * (DBSIZE, KEYS, SCAN, RANDOMKEY, FLUSHALL, FLUSHDB), a SWAPDB, or a SORT with patterns, and there
 * are several shards. The connection checks the watches, then runs the queue in order, one command
 * at a time, each where it would run outside a transaction: a command of one shard's keys in a
 * batch of its own to that shard (the hold lets it through); a whole-keyspace command on every
 * shard, its replies merged as a pipeline's ({@link Fanout}; SCAN on the shard its cursor names);
 * a command whose keys span shards over their values gathered into a private keyspace
 * ({@link CrossShard#runHeld}: gather, run, install, with no locks to take); SWAPDB on every shard;
 * connection commands (SELECT, HELLO, PING...) here. Each shard logs its own commands as it runs
 * them. The reply waits until every record is durable; a command whose shard could not make it
 * so is answered with the log's error, as in a pipeline. This is slower than a one-shard block (a
 * round trip per command with every shard paused), which is why only these transactions take it.
 *
 * <p><b>SORT with patterns</b> ({@link #sort}): BY and GET patterns name keys the sorted key's
 * shard may not own, known only once the sorted value is read. Under the hold this is two steps
 * with nothing in between: read the sorted key's value from its shard, then gather that key, the
 * STORE destination and every key the patterns name for its elements ({@link SortCommand#patternKeys})
 * into a private keyspace, run SORT there and install the destination on its shard. Locking the
 * pattern keys instead would need them before the value that names them is read; the hold needs
 * no guess. Outside MULTI, {@link #one} takes the hold for the one command; in a transaction, the
 * EXEC's hold covers it.
 *
 * <p>Not atomic across a crash: each shard logs its part, in its own log.
 *
 * <p>Threading: the holding connection's task; it parks while the shards answer.
 */
final class HeldRun {
    private static final CommandSpec SORT = io.github.jglommio.kv.command.CommandTable.lookup("sort");
    private static final CommandSpec SORT_RO = io.github.jglommio.kv.command.CommandTable.lookup("sort_ro");

    private HeldRun() {
    }

    /** Whether {@code c} is a SORT or SORT_RO whose patterns name keys, on a server of several shards. */
    static boolean sortsByPatterns(Shard shard, CommandSpec spec, Command c) {
        return shard.shards > 1 && (spec == SORT || spec == SORT_RO) && spec.acceptsArgCount(c.argCount())
                && SortCommand.readsPatterns(c, spec == SORT_RO);
    }

    /**
     * Whether an EXEC of these commands runs under the hold ({@link #exec}): on several shards, a
     * whole-keyspace command, a SWAPDB or a SORT with patterns.
     */
    static boolean needed(Shard shard, List<CommandSpec> specs, List<Command> cmds) {
        if (shard.shards == 1) {
            return false;
        }
        for (int k = 0; k < specs.size(); k++) {
            CommandSpec spec = specs.get(k);
            if (spec.routing().isWholeKeyspace() || DbCommands.isSwapDb(spec)
                    || sortsByPatterns(shard, spec, cmds.get(k))) {
                return true;
            }
        }
        return false;
    }

    /** A SORT with patterns outside MULTI: under a hold of its own. */
    static void one(Connection conn, CommandSpec spec, Command c, int db, RespWriter out) {
        long txid = DbCommands.holdEveryShard(conn);
        try {
            sort(conn, txid, spec, c, db, out);
        } finally {
            letGo(conn, txid);
        }
    }

    /**
     * EXEC of {@code cmds} (each in its database of {@code cmdDbs}) under the hold: the null array
     * if {@code watch} saw a change, else every command's reply; see the class comment.
     */
    static void exec(Connection conn, List<CommandSpec> specs, List<Command> cmds, List<Integer> cmdDbs,
                     WatchState watch, RespWriter out) {
        Shard shard = conn.shard;
        long txid = DbCommands.holdEveryShard(conn);
        RespWriter reply = new RespWriter(256);
        reply.protocol(out.protocol());
        int n = cmds.size();
        int[] ends = new int[n];
        long[] tokens = new long[n];
        int bodyStart = 0;
        boolean ran = false;
        try {
            if (watch != null && watch.isDirty(System.currentTimeMillis())) {
                reply.nullArray();
            } else {
                ran = true;
                reply.arrayHeader(n);
                bodyStart = reply.size();
                ShardBatch[] batches = new ShardBatch[shard.shards];
                for (int k = 0; k < n; k++) {
                    tokens[k] = runOne(conn, txid, specs.get(k), cmds.get(k), cmdDbs.get(k), batches, reply);
                    ends[k] = reply.size();
                }
            }
        } finally {
            letGo(conn, txid);
        }
        long token = 0;
        for (long t : tokens) {
            token = Math.max(token, t);
        }
        if (ran && token != 0 && !shard.log.awaitDurable(token)) {
            // This shard's writes are not acknowledged (as in a pipeline); the rest keep their replies.
            String error = shard.log.writeError();
            RespWriter failed = new RespWriter(reply.size());
            failed.protocol(reply.protocol());
            failed.raw(reply.array(), 0, bodyStart);
            int start = bodyStart;
            for (int k = 0; k < n; k++) {
                if (tokens[k] != 0) {
                    failed.error(error);
                } else {
                    failed.raw(reply.array(), start, ends[k] - start);
                }
                start = ends[k];
            }
            reply = failed;
        }
        out.raw(reply.array(), 0, reply.size());
    }

    /**
     * Runs one queued command under hold {@code txid}, its reply into {@code reply}; returns the
     * log token of what it wrote on this shard (the other shards answer once theirs is durable).
     */
    private static long runOne(Connection conn, long txid, CommandSpec spec, Command c, int db, ShardBatch[] batches,
                               RespWriter reply) {
        Shard shard = conn.shard;
        if (DbCommands.isSwapDb(spec)) {
            return swapEverywhere(conn, txid, c, reply);
        }
        Routing r = spec.routing();
        if (r == Routing.SERVER) {
            ServerCommands.execute(conn, spec, c, reply);
            reply.protocol(conn.protocol); // a HELLO: the next replies are in its protocol
            return 0;
        }
        if (sortsByPatterns(shard, spec, c)) {
            sort(conn, txid, spec, c, db, reply);
            return 0;
        }
        if (r.isWholeKeyspace()) {
            return everyShard(conn, spec, c, db, batches, reply);
        }
        int[] keys = spec.keyIndexes(c);
        int owner = shard.id; // malformed: the handler here answers the error
        if (keys != null && !spec.hasPartialKeyStep(c) && keys.length > 0) {
            owner = KeyHash.shardOf(c.arg(keys[0]), shard.shards);
            for (int k = 1; k < keys.length && owner >= 0; k++) {
                if (KeyHash.shardOf(c.arg(keys[k]), shard.shards) != owner) {
                    owner = -1;
                }
            }
        }
        if (owner < 0) {
            CrossShard.runHeld(conn, txid, spec, c, db, null, reply);
            return 0;
        }
        ShardBatch b = batch(conn, batches, owner);
        int idx = b.add(spec, c, db);
        long token = run(conn, batches, owner);
        copy(b, idx, reply);
        return token;
    }

    /**
     * A whole-keyspace command on every shard (SCAN: on the shard its cursor names), the replies
     * merged as outside a transaction; returns this shard's log token.
     */
    private static long everyShard(Connection conn, CommandSpec spec, Command c, int db, ShardBatch[] batches,
                                   RespWriter reply) {
        Shard shard = conn.shard;
        int n = shard.shards;
        Fanout f;
        if (spec.routing() == Routing.ALL_SCAN) {
            long cursor;
            try {
                cursor = Cursors.parse(c.arg(1));
            } catch (NumberFormatException e) {
                reply.error("ERR invalid cursor");
                return 0;
            }
            int s = (int) Long.remainderUnsigned(cursor, n);
            f = new Fanout(Routing.ALL_SCAN, 1);
            f.scanShards = n;
            f.scanShard = s;
            f.addPart(s, batch(conn, batches, s).add(spec, Fanout.scanOnShard(c, cursor, n), db));
        } else {
            f = new Fanout(spec.routing(), n);
            for (int s = 0; s < n; s++) {
                f.addPart(s, batch(conn, batches, s).add(spec, c, db));
            }
        }
        long token = 0;
        int sent = 0;
        for (int s = 0; s < n; s++) {
            if (s != shard.id && batches[s] != null && batches[s].count > 0) {
                shard.send(s, batches[s]);
                sent++;
            }
        }
        if (batches[shard.id] != null && batches[shard.id].count > 0) {
            token = batches[shard.id].executeOn(shard, 0);
        }
        conn.awaitTxReplies(sent);
        f.merge(batches, reply);
        return token;
    }

    /** Runs the batch for shard {@code s} (sent there, or here in place); returns this shard's log token. */
    private static long run(Connection conn, ShardBatch[] batches, int s) {
        Shard shard = conn.shard;
        if (s == shard.id) {
            return batches[s].executeOn(shard, 0);
        }
        shard.send(s, batches[s]);
        conn.awaitTxReplies(1);
        return 0;
    }

    /** The connection's own batch for shard {@code s} in this run, emptied, replying in its protocol. */
    private static ShardBatch batch(Connection conn, ShardBatch[] batches, int s) {
        if (batches[s] == null) {
            batches[s] = new ShardBatch(conn.shard.id, conn);
        }
        ShardBatch b = batches[s];
        b.clear();
        b.reply.protocol(conn.protocol);
        return b;
    }

    private static void copy(ShardBatch b, int idx, RespWriter reply) {
        int start = b.replyStart(idx);
        reply.raw(b.reply.array(), start, b.replyEnd(idx) - start);
    }

    /** SWAPDB on every shard, in the hold; returns this shard's log token. */
    private static long swapEverywhere(Connection conn, long txid, Command c, RespWriter reply) {
        Shard shard = conn.shard;
        int[] ab = DbCommands.swapArgs(c, shard.dbs.count(), reply);
        if (ab == null) {
            return 0;
        }
        TxPart[] parts = new TxPart[shard.shards];
        int sent = 0;
        for (int s = 0; s < shard.shards; s++) {
            if (s != shard.id) {
                parts[s] = TxPart.swap(txid, ab);
                parts[s].held = true;
                sent += DbCommands.send(conn, s, parts[s]);
            }
        }
        long token = shard.swap(ab[0], ab[1]);
        conn.awaitTxReplies(sent);
        for (TxPart p : parts) {
            if (p != null && p.writeError != null) {
                reply.error(p.writeError);
                return token;
            }
        }
        reply.ok();
        return token;
    }

    /**
     * SORT or SORT_RO with patterns, in hold {@code txid}: reads the sorted key's value, then runs
     * the sort over it and every key its patterns name; see the class comment.
     */
    private static void sort(Connection conn, long txid, CommandSpec spec, Command c, int db, RespWriter out) {
        Shard shard = conn.shard;
        byte[] key = c.arg(1);
        int s = KeyHash.shardOf(key, shard.shards);
        TxPart p = TxPart.gather(txid, new byte[][] {key}, new int[] {db});
        if (s == shard.id) {
            shard.gather(p);
        } else {
            conn.awaitTxReplies(DbCommands.send(conn, s, p));
        }
        // The value is read here by reference: under the hold nobody else touches it.
        List<byte[]> named = SortCommand.patternKeys(c, spec == SORT_RO, p.values[0]);
        CrossShard.runHeld(conn, txid, spec, c, db, named, out);
    }

    /** Ends hold {@code txid} on every shard. */
    private static void letGo(Connection conn, long txid) {
        Shard shard = conn.shard;
        int sent = 0;
        for (int s = 0; s < shard.shards; s++) {
            if (s != shard.id) {
                sent += DbCommands.send(conn, s, TxPart.release(txid));
            }
        }
        shard.finishTransaction(txid);
        conn.awaitTxReplies(sent);
    }
}
