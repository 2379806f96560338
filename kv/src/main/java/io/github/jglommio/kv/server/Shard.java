package io.github.jglommio.kv.server;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.channels.MeshConnection;
import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.aof.KeyspaceStateMachine;
import io.github.jglommio.kv.command.KeyspaceCommands;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;

/**
 * One shard: the keyspace, log and mesh ends of one executor, and the two tasks that serve the
 * other shards: {@link #serveRequests} executes the batches other shards' connections send here,
 * {@link #dispatchReplies} hands the replies to this shard's own batches back to the waiting
 * connections.
 *
 * <p>Two meshes, not one: a shard's request task may park sending a reply (the channel back is
 * full), but the reply task never parks except to receive, so a reply always drains and no cycle of
 * full channels can form between two shards.
 *
 * <p>Threading: everything here belongs to the shard's executor; only {@link Snapshot}s, taken on
 * the executor, leave it.
 */
final class Shard {

    final int id;
    final int shards;
    final KvServer server;
    /** The keyspace and its executor as the log replays them. */
    final KeyspaceStateMachine state;
    final Keyspace keyspace;
    final KeyspaceCommands commands;
    /** Set once, before the shard serves anything (the log replays into the keyspace first). */
    ShardLog log = ShardLog.none();
    final TaskQueueHandle requestQueue;
    final TaskQueueHandle background;
    private final MeshConnection<ShardBatch> requests;
    private final MeshConnection<ShardBatch> replies;
    /** The most batches the request task executes before it waits for their log write. */
    private static final int MAX_BATCHES_PER_TURN = 256;
    private final ShardBatch[] held = new ShardBatch[MAX_BATCHES_PER_TURN];
    /** Set with {@code completion-batch auto}: tunes this shard's completion batching. */
    final CompletionBatchTuner batchTuner;

    // Counters: written by this executor only, read through snapshot() on it.
    long commandsProcessed;
    long connectionsReceived;
    int connectedClients;
    long remoteBatches;
    long rejectedConnections;

    Shard(int id, int shards, KvServer server, TaskQueueHandle requestQueue, TaskQueueHandle background,
          MeshConnection<ShardBatch> requests, MeshConnection<ShardBatch> replies) {
        this.id = id;
        this.shards = shards;
        this.server = server;
        this.requestQueue = requestQueue;
        this.background = background;
        this.requests = requests;
        this.replies = replies;
        KvConfig config = server.config;
        this.batchTuner = config.completionBatch() == KvConfig.COMPLETION_BATCH_AUTO
                ? new CompletionBatchTuner(config.completionBatchDelay()) : null;
        this.state = new KeyspaceStateMachine(System::currentTimeMillis, new KeyspaceCommands());
        this.keyspace = state.keyspace();
        this.commands = state.commands();
    }

    /**
     * Executes one keyspace command here, appending its reply to {@code out} and its log record to
     * the log; returns the log token the reply must wait for (0: nothing to wait for).
     */
    long execute(CommandSpec spec, Command c, RespWriter out) {
        commandsProcessed++;
        Command logged = commands.execute(spec, c, keyspace, out);
        return logged == null ? 0 : log.append(logged);
    }

    /** Sends {@code batch} to shard {@code target}; parks while that channel is full. */
    void send(int target, ShardBatch batch) {
        requests.senders().sendTo(target, batch);
    }

    /**
     * The request task: executes other shards' batches until every shard closed its senders. It
     * executes every batch that has arrived (up to {@value #MAX_BATCHES_PER_TURN}), waits once until
     * their writes are durable (one log write covers them all), then sends the replies back; when
     * the log failed, the writes among them are answered with its error instead.
     */
    void serveRequests() {
        ShardBatch b;
        while ((b = requests.receivers().recv()) != null) {
            int n = 0;
            long token = 0;
            do {
                remoteBatches++;
                token = Math.max(token, b.executeOn(this, 0));
                held[n++] = b;
            } while (n < MAX_BATCHES_PER_TURN && (b = requests.receivers().tryRecv()) != null);
            if (token != 0 && !log.awaitDurable(token)) {
                String error = log.writeError();
                for (int i = 0; i < n; i++) {
                    held[i].failWrites(error);
                }
            }
            for (int i = 0; i < n; i++) {
                ShardBatch done = held[i];
                held[i] = null;
                replies.senders().sendTo(done.origin, done);
            }
        }
    }

    /** The reply task: wakes the connection each reply belongs to. */
    void dispatchReplies() {
        ShardBatch b;
        while ((b = replies.receivers().recv()) != null) {
            b.owner.replyArrived();
        }
    }

    /** No more requests from this shard: the peers' request tasks end once all shards said so. */
    void closeRequests() {
        requests.senders().close();
    }

    /** No more replies from this shard (after its request task ended). */
    void closeReplies() {
        replies.senders().close();
    }

    /** This shard's figures for INFO; call on the shard's executor. */
    Snapshot snapshot() {
        LocalExecutor ex = LocalExecutor.current();
        long[] expires = new long[1];
        keyspace.forEachLive((key, value, expireAtMillis) -> {
            if (expireAtMillis != Keyspace.NO_EXPIRY) {
                expires[0]++;
            }
        });
        return new Snapshot(id, ex.name(), ex.cpu().isPresent() ? ex.cpu().getAsInt() : -1, keyspace.size(),
                expires[0], commandsProcessed, connectionsReceived, connectedClients, remoteBatches,
                rejectedConnections, batchTuner == null ? server.config.completionBatch() : batchTuner.batch, ex.stats(),
                log.describe());
    }

    /** A shard's figures at one moment, for INFO. */
    record Snapshot(int shard, String executor, int cpu, long keys, long expires, long commandsProcessed,
                    long connectionsReceived, int connectedClients, long remoteBatches, long rejectedConnections,
                    int completionBatch, io.github.jglommio.ExecutorStats stats, String log) {
    }
}
