/**
 * The Redis-compatible server: shards, connections, routing across shards, the server commands
 * and the command-line entry. {@link io.github.jglommio.kv.server.KvServer} starts it from a
 * {@link io.github.jglommio.kv.server.KvConfig}; {@link io.github.jglommio.kv.server.KvMain} is
 * {@code ./jglommio demo}.
 *
 * <p>Shape: one shard per executor (by default one per CPU but one, unpinned; see
 * {@code KvConfig}), each owning the keys that hash to it, its keyspace and its append-only log. All
 * shards listen on the port ({@code SO_REUSEPORT}); a connection is served, start to end, by one
 * task on the shard that accepted it. Per read, it plans every complete request: a command for a
 * key of its own shard runs in place; one for another shard joins that shard's batch; a multi-key
 * or all-shard command is split ({@code Fanout}). The batches of every connection of one loop turn
 * leave as one message per shard over a request mesh; the owner executes all that arrived, waits
 * once for their log write, and sends the replies back, one message per origin, over a reply mesh.
 * Then the connection writes every reply, in request order, with one socket write.
 *
 * <p>Connections are not moved to the shard that owns their keys. Measured on the 2-vCPU reference
 * machine (redis-benchmark on the same CPUs, {@code ./jglommio bench kv --pairings default}, 3
 * rounds, ratios to Redis with AOF everysec): with one hot key, 2 shards (half the connections
 * always remote) gave SET 0.76x at -P 1 and 1 shard (all local) 1.08x; with random keys, where
 * moving a connection could not help, 1 shard also beat 2 (GET -P 1 1.03x against 0.84x, GET
 * -P 16 1.20x against 1.02x). The cost is two shards and the client sharing two CPUs as much as
 * the hop itself, so the default leaves a CPU to the clients, which here means one shard and no
 * hops at all; a hot key on a machine with CPUs to spare costs its remote connections one mesh
 * round trip per pipeline, shared by every connection of the loop turn.
 *
 * <p>Durability: a write is answered only once its shard's log has it in the kernel (synced, under
 * {@code appendfsync always}); see {@code kv.aof}. A log that cannot be written makes every shard
 * answer writes and PING with {@code -MISCONF} until its retry succeeds, as Redis does; reads go on.
 * An operation that changes several shards is answered once every shard's part is durable, and
 * replays all or nothing after a crash: each part is a {@code TXPART} block, the shards hold its keys
 * until every part is durable ({@code CrossShard.release}), and {@code KvServer.start} reads every
 * log before any shard replays ({@code kv.aof.TxDecisions}).
 *
 * <p>Numbered databases (SELECT 0 to {@code databases}-1, 16 by default): every shard holds its
 * part of every database ({@code store.Databases}: one keyspace per index, made on first use), and
 * routing stays by key alone. A connection's selected database is a field that SELECT changes at
 * plan time, and each batch entry carries the database it was planned in, so a pipeline (or a
 * MULTI block) may switch in the middle; a connection that never SELECTs pays one field read per
 * command. Watches are on (database, key); cross-shard transactions gather and install (database,
 * key) pairs ({@code DbKeys} names the second database of MOVE and COPY ... DB). The log writes a
 * {@code SELECT n} record whenever the database of the next record differs from the last one's.
 * SWAPDB must change every shard at once, so it is a cross-shard transaction over the whole
 * keyspace rather than a fanout that each shard applies in its own turn: with a fanout, a client
 * could read a swapped shard and then an unswapped one. It takes one id in the global transaction
 * order, holds every shard (each lets it in once its earlier transactions are done, and runs no
 * keyspace command while it holds), swaps and logs on each, then lets go; see {@code DbCommands}.
 *
 * <p>Transactions (MULTI/EXEC) and multi-key commands: a block whose keys are all on one shard goes
 * there as one batch entry and runs in one go ({@code Shard.executeTransaction}); one whose keys
 * span shards is a cross-shard transaction ({@code CrossShard}): VLL locks on its keys in the
 * global id order ({@code TxManager}), their values gathered to the coordinator, run there, the
 * changes installed. What cannot name its keys up front, on several shards, runs under the
 * whole-keyspace hold instead ({@code HeldRun}): an EXEC holding DBSIZE, KEYS, SCAN, RANDOMKEY,
 * FLUSHALL, FLUSHDB or SWAPDB runs its queue command by command, each where it would run alone,
 * with every shard letting only its connection through; a SORT whose BY/GET patterns name keys
 * reads the sorted value, then gathers the keys its patterns name, under one hold. So every
 * transaction is isolated, as on one Redis, and only these rare ones pause the other shards.
 *
 * <p>Server commands: {@code ServerCommands} answers them on the connection's task, with one class
 * per container ({@code ConfigCommand}, {@code ClientCommand}, {@code CommandCommand}, {@code SlowLog},
 * {@code LatencyMonitor}) and {@code Info}. The configuration parameters are one table
 * ({@code ConfigParams}); their current values ({@code LiveConfig}), the slow log, the MONITOR feed
 * and CLIENT PAUSE are server-wide ({@code Admin}); each shard keeps its connections
 * ({@code ShardClients}) and its commandstats ({@code CommandStats}, arrays indexed by the command's
 * ordinal). What the interface says about each command beyond its spec (ACL categories, key
 * specifications, subcommands, docs) is Redis 7.0's, in two resources written by {@code kv/tools}.
 *
 * <p>Pub/sub: a connection's subscriptions are registered on its own shard ({@code PubSub}) and
 * counted server-wide for PUBSUB and INFO ({@code PubSubCounts}); a PUBLISH travels to every shard
 * as an entry of the batch its connection sends there anyway, so one publisher's messages keep
 * their order on every shard, and each shard answers how many of its subscribers it reached. A
 * subscriber's frames, and its replies while it is subscribed, go out through its
 * {@code PushOutbox}, written by a task of its own: the connection's task may be parked in a read.
 *
 * <p>Blocking pops (BLPOP, BZPOPMIN, BLMOVE...): outside MULTI the connection runs one itself
 * ({@code BlockingCall}): every shard with one of its keys probes them and registers a
 * {@code Waiter} in its {@code WaitQueues} (per key, a FIFO); a write on any shard serves the
 * longest waiters of the keys it touched, through {@code Shard.execute}, so the pop is logged as the
 * non-blocking command. A waiter on several shards carries one claim (a CAS): the first shard to
 * pop for it, the timeout, CLIENT UNBLOCK or a disconnect wins, the rest drop it. The probes and
 * wake-ups cross executors as tasks submitted to the other executor ({@code KvServer.onShard}),
 * answered through the origin's inbox: a connection parks on a local semaphore, never on a future.
 *
 * <p>Threading: each shard's state belongs to its executor; what crosses executors is a
 * {@code ShardBatch} handed over through a mesh channel (one owner at a time), the counters behind
 * INFO (read through snapshots taken on each executor), the pub/sub counts (concurrent maps), a few
 * atomics in {@code KvServer}
 * (client count, the logs' failure state), and {@code Admin}'s parts, each guarded as its class
 * says (volatile settings, a lock for the slow log and latency events, a concurrent queue per
 * monitor). CLIENT LIST and KILL reach other shards' connections only through
 * {@code KvServer.onEveryShard}, on the connections' own executors.
 */
package io.github.jglommio.kv.server;
