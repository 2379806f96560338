package io.github.jglommio.kv.server;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.Routing;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.script.ScriptEngine;
import io.github.jglommio.kv.script.ScriptHost;
import io.github.jglommio.kv.store.Keyspace;

import java.util.ArrayList;
import java.util.List;

/**
 * One script (EVAL, FCALL...) running on the shard that owns its declared keys: the
 * {@link ScriptHost} that runs its {@code redis.call}s against this shard's keyspace, in the
 * database the script has selected, and logs its effects.
 *
 * <p>Effects, not scripts, go to the log: each write the script made is kept as the deterministic
 * command its handler returns, and once the script ended they are appended in order, between
 * {@code MULTI} and {@code EXEC} records when there are two or more (so that a crash in the middle
 * of their write replays none), unless the script ran inside a MULTI block already wrapped so.
 * The script's reply then waits for the last record to be durable, as any write's does. Replay
 * never runs Lua.
 *
 * <p>A command of the script must be this shard's: a key of another shard, or a command on the
 * whole keyspace while there are several shards, is refused with an error the script sees (as
 * Redis Cluster refuses a key of another node).
 *
 * <p>Threading: the shard's executor, the task that executes the script's batch entry.
 */
final class ScriptRun implements ScriptHost {
    private final Shard shard;
    private int db;
    private final List<Command> records = new ArrayList<>();
    private final List<Integer> recordDbs = new ArrayList<>();

    private ScriptRun(Shard shard, int db) {
        this.shard = shard;
        this.db = db;
    }

    /** Runs script command {@code c} in database {@code db} here; returns the log token its reply waits for. */
    static long run(Shard shard, CommandSpec spec, Command c, RespWriter out, int db) {
        ScriptRun run = new ScriptRun(shard, db);
        long started = System.nanoTime();
        int mark = out.size();
        shard.waits.hold(); // blocked clients are served after the script, as in Redis
        try {
            shard.scripts.run(spec, c, run, out);
        } finally {
            if (shard.server.busyShard == shard) {
                shard.server.busyShard = null;
            }
            long token = run.appendRecords();
            shard.waits.release();
            shard.stats.ran(spec, c, started, out, mark, shard.executing);
            run.token = token;
        }
        return run.token;
    }

    private long token;

    @Override
    public boolean outOfMemory() {
        // As before any denyoom command: evict what the policy allows first (not inside a block).
        return shard.memoryLimit() != 0 && !shard.inBlock() && !shard.makeRoom();
    }

    private long appendRecords() {
        if (records.isEmpty()) {
            return 0;
        }
        boolean wrap = records.size() > 1 && !shard.inWrappedBlock;
        long t = 0;
        if (wrap) {
            shard.log.append(Shard.MULTI_RECORD);
        }
        for (int i = 0; i < records.size(); i++) {
            t = shard.append(recordDbs.get(i), records.get(i));
        }
        if (wrap) {
            t = shard.log.append(Shard.EXEC_RECORD);
        }
        return t;
    }

    @Override
    public void call(CommandSpec spec, Command c, RespWriter out) {
        String name = spec.name();
        if (spec.routing() == Routing.SERVER) {
            switch (name) {
                case "select" -> select(c, out);
                case "ping", "echo" -> shard.commands.execute(spec, c, shard.keyspace(db), out);
                case "time" -> {
                    long us = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
                    out.arrayHeader(2).bulk(Long.toString(us / 1_000_000).getBytes())
                            .bulk(Long.toString(us % 1_000_000).getBytes());
                }
                default -> out.error("ERR This Redis command is not allowed from script");
            }
            return;
        }
        if (spec.routing().isWholeKeyspace() && shard.shards > 1) {
            out.error("ERR this server has several shards: a script cannot run commands on the whole keyspace");
            return;
        }
        int[] keys = spec.keyIndexes(c);
        if (keys != null) {
            for (int k : keys) {
                if (KeyHash.shardOf(c.arg(k), shard.shards) != shard.id) {
                    out.error("ERR Script attempted to access a non local key in a cluster node");
                    return;
                }
            }
        }
        Keyspace keyspace = shard.keyspace(db);
        if (!shard.watches.isEmpty() && name.startsWith("flush")) {
            DbCommands.flushing(shard, spec, keyspace);
        }
        Command logged = shard.commands.execute(spec, c, keyspace, out);
        if (logged == null) {
            return;
        }
        if (!shard.watches.isEmpty()) {
            shard.watches.touched(db, logged);
        }
        if (!shard.waits.isEmpty()) {
            shard.waits.touched(db, logged);
        }
        records.add(logged);
        recordDbs.add(db);
    }

    private void select(Command c, RespWriter out) {
        Long n = ServerCommands.integer(c, 1);
        if (n == null) {
            out.error(DbCommands.NOT_INTEGER);
        } else if (!shard.dbs.isValid(n)) {
            out.error("ERR DB index is out of range");
        } else {
            db = (int) (long) n;
            out.ok();
        }
    }

    @Override
    public void busy(boolean firstTime) {
        shard.server.busyShard = shard;
        LocalExecutor.yieldNow(); // the other tasks answer -BUSY meanwhile; SCRIPT KILL gets through
    }

    /** The -BUSY error other commands get while a script is past the threshold. */
    static String busyError(KvServer server) {
        Shard s = server.busyShard;
        ScriptEngine.Running r = s == null ? null : s.scripts.running();
        String kill = r != null && r.isFunction() ? "FUNCTION KILL" : "SCRIPT KILL";
        return "BUSY Redis is busy running a script. You can only call " + kill + " or SHUTDOWN NOSAVE.";
    }
}
