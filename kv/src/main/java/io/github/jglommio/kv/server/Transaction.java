package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's MULTI and WATCH state, as Redis keeps it per client: the commands queued since
 * MULTI, whether one of them was refused while queuing (EXEC then answers EXECABORT), and the
 * watched keys by shard with the {@link WatchState} their shards mark.
 *
 * <p>Threading: the connection's task only; the WatchState is shared with the shards.
 */
final class Transaction {
    boolean active;
    boolean failed;
    final List<CommandSpec> specs = new ArrayList<>();
    final List<Command> commands = new ArrayList<>();
    /** The database each queued command runs in: the one a SELECT queued before it selects. */
    final List<Integer> dbs = new ArrayList<>();
    /** The database selected once the queued commands (their SELECTs) have run. */
    int queuedDb;
    /** The watches of this connection, or null while it watches nothing. */
    WatchState watch;
    /** Per shard, the keys watched there (to unwatch them); null entries for shards without any. */
    final List<byte[]>[] watched;
    /** Per shard, the database of each of {@link #watched}'s keys. */
    final List<Integer>[] watchedDbs;

    @SuppressWarnings("unchecked")
    Transaction(int shards) {
        watched = new List[shards];
        watchedDbs = new List[shards];
    }

    /** MULTI, in database {@code db}. */
    void begin(int db) {
        active = true;
        failed = false;
        specs.clear();
        commands.clear();
        dbs.clear();
        queuedDb = db;
    }

    /** A command queued until EXEC; {@code dbAfter} is the database selected after it (it may be a SELECT). */
    void queue(CommandSpec spec, Command c, int dbAfter) {
        specs.add(spec);
        commands.add(c);
        dbs.add(queuedDb);
        queuedDb = dbAfter;
    }

    /** EXEC or DISCARD: the queue is gone (the watches are ended separately). */
    void end() {
        active = false;
        failed = false;
        specs.clear();
        commands.clear();
        dbs.clear();
    }

    /** Records that {@code key} of shard {@code s} is watched; returns the state to mark. */
    WatchState watch(int s, byte[] key, int db) {
        if (watch == null) {
            watch = new WatchState();
        }
        if (watched[s] == null) {
            watched[s] = new ArrayList<>();
        }
        watched[s].add(key);
        if (watchedDbs[s] == null) {
            watchedDbs[s] = new ArrayList<>();
        }
        watchedDbs[s].add(db);
        return watch;
    }

    /** @return whether any key is watched */
    boolean watching() {
        return watch != null;
    }
}
