package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

/**
 * How an EXEC becomes one reply: the shard batch entry that started the transaction (its reply is
 * a null array when a watched key changed) and, for each queued command, either its entry in that
 * batch or, for a connection command (PING, ECHO, INFO, CLIENT...), the command itself, which the
 * connection runs while it writes the reply. Owner connection's task only.
 */
final class ExecReply {
    private final int shard;
    private final int begin;
    private final CommandSpec[] serverSpecs;
    private final Command[] serverCommands;
    private final int[] entries;
    /** The connection's database before the EXEC: an aborted block's SELECTs do not run. */
    private final int dbBefore;

    /**
     * A transaction of {@code n} commands that starts at entry {@code begin} of shard {@code shard}'s
     * batch, planned with the connection in database {@code dbBefore}.
     */
    ExecReply(int shard, int begin, int n, int dbBefore) {
        this.dbBefore = dbBefore;
        this.shard = shard;
        this.begin = begin;
        this.serverSpecs = new CommandSpec[n];
        this.serverCommands = new Command[n];
        this.entries = new int[n];
    }

    /** Command {@code k} is entry {@code index} of the batch. */
    void entry(int k, int index) {
        entries[k] = index;
    }

    /** Command {@code k} is a connection command, run while replying. */
    void server(int k, CommandSpec spec, Command c) {
        serverSpecs[k] = spec;
        serverCommands[k] = c;
    }

    /** Writes the EXEC reply: the null array of an aborted transaction, or an array of every command's reply. */
    void merge(Connection conn, ShardBatch[] batches, RespWriter out) {
        ShardBatch b = batches[shard];
        int start = b.replyStart(begin);
        int end = b.replyEnd(begin);
        if (end > start) {
            out.raw(b.reply.array(), start, end - start); // a watched key changed
            conn.db = dbBefore; // the block's SELECTs did not run (nothing was planned after it)
            return;
        }
        // The plan already moved the connection to the database the block's SELECTs leave, and
        // planned what followed there: these SELECTs only answer.
        int planned = conn.db;
        out.arrayHeader(entries.length);
        for (int k = 0; k < entries.length; k++) {
            if (serverSpecs[k] != null) {
                ServerCommands.execute(conn, serverSpecs[k], serverCommands[k], out);
            } else {
                int s = b.replyStart(entries[k]);
                out.raw(b.reply.array(), s, b.replyEnd(entries[k]) - s);
            }
        }
        conn.db = planned;
    }
}
