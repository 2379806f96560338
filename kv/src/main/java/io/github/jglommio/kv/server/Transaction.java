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
    /** The watches of this connection, or null while it watches nothing. */
    WatchState watch;
    /** Per shard, the keys watched there (to unwatch them); null entries for shards without any. */
    final List<byte[]>[] watched;

    @SuppressWarnings("unchecked")
    Transaction(int shards) {
        watched = new List[shards];
    }

    /** MULTI. */
    void begin() {
        active = true;
        failed = false;
        specs.clear();
        commands.clear();
    }

    /** A command queued until EXEC. */
    void queue(CommandSpec spec, Command c) {
        specs.add(spec);
        commands.add(c);
    }

    /** EXEC or DISCARD: the queue is gone (the watches are ended separately). */
    void end() {
        active = false;
        failed = false;
        specs.clear();
        commands.clear();
    }

    /** Records that {@code key} of shard {@code s} is watched; returns the state to mark. */
    WatchState watch(int s, byte[] key) {
        if (watch == null) {
            watch = new WatchState();
        }
        if (watched[s] == null) {
            watched[s] = new ArrayList<>();
        }
        watched[s].add(key);
        return watch;
    }

    /** @return whether any key is watched */
    boolean watching() {
        return watch != null;
    }
}
