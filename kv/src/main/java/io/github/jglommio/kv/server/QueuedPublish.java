package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

/**
 * PUBLISH or SPUBLISH queued inside MULTI, run when EXEC runs it, as the other connection commands
 * of a transaction run: while the EXEC reply is made, so that it publishes only when the transaction
 * ran (not when a watched key aborted it). This shard delivers in place; the others get the message
 * in batches of their own, not the connection's (those hold the transaction's replies), and the
 * reply waits for their counts. The PUBLISH entries take no key, so a transaction holding keys on
 * another shard cannot hold them up.
 *
 * <p>Threading: the connection's task.
 */
final class QueuedPublish {

    private final Connection conn;
    private ShardBatch[] batches;

    QueuedPublish(Connection conn) {
        this.conn = conn;
    }

    /** Publishes {@code c} on every shard, appends the number of receivers to {@code out}; parks for the other shards. */
    void run(CommandSpec spec, Command c, RespWriter out) {
        Shard shard = conn.shard;
        int n = shard.shards;
        if (batches == null) {
            batches = new ShardBatch[n];
            for (int s = 0; s < n; s++) {
                batches[s] = new ShardBatch(shard.id, conn);
            }
        }
        int sent = 0;
        for (int s = 0; s < n; s++) {
            if (s != shard.id) {
                batches[s].clear();
                batches[s].add(ShardBatch.PUBLISH, spec, c, null);
                shard.send(s, batches[s]);
                sent++;
            }
        }
        long receivers = shard.pubsub.deliver(c.arg(1), c.arg(2), spec.name().equals("spublish"));
        conn.awaitTxReplies(sent);
        for (int s = 0; s < n; s++) {
            if (s != shard.id) {
                receivers += RespScan.number(batches[s].reply.array(), 0);
                batches[s].clear();
            }
        }
        out.integer(receivers);
    }
}
