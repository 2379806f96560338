package io.github.jglommio.kv.server;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.channels.MeshConnection;
import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.aof.KeyspaceStateMachine;
import io.github.jglommio.kv.aof.TxRecords;
import io.github.jglommio.kv.command.KeyspaceCommands;
import io.github.jglommio.kv.command.LogRewriter;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Databases;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.sync.Semaphore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One shard: the keyspace, log and mesh ends of one executor, and the two tasks that serve the
 * other shards: {@link #serveRequests} executes the batches other shards' connections send here,
 * {@link #dispatchReplies} hands the replies to this shard's own batches back to the waiting
 * connections.
 *
 * <p>One message per destination per loop turn: a connection's batch for another shard goes into
 * that shard's outbox; the flusher task, which runs after the connection tasks of the turn, sends
 * each outbox as one message (batches linked through {@link ShardBatch#next}). The request task
 * executes every batch that arrived, waits once for their log write, and sends the replies back as
 * one message per origin shard. So a turn costs each pair of shards one channel operation (and at
 * most one wake-up) each way, however many connections it served.
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
    /** The numbered databases (SELECT); each command runs in the one its batch entry names. */
    final Databases dbs;
    final KeyspaceCommands commands;
    /** Set once, before the shard serves anything (the log replays into the keyspace first). */
    ShardLog log = ShardLog.none();
    final TaskQueueHandle requestQueue;
    final TaskQueueHandle background;
    private final MeshConnection<ShardBatch> requests;
    private final MeshConnection<ShardBatch> replies;
    /** The request task stops draining messages once it holds this many batches, then waits for their log write. */
    private static final int MAX_BATCHES_PER_TURN = 256;
    private ShardBatch[] held = new ShardBatch[MAX_BATCHES_PER_TURN];
    // Per shard: this turn's requests (outbox) and replies, lists linked through ShardBatch.next.
    private final ShardBatch[] outHead;
    private final ShardBatch[] outTail;
    private final ShardBatch[] replyHead;
    private final ShardBatch[] replyTail;
    private final ShardBatch[] resumeHead;
    private final ShardBatch[] resumeTail;
    private final Semaphore flushWake = new Semaphore(0);
    private boolean flushPending;
    private boolean stopFlusher;
    private Task<Void> flusher;
    /** The keys of this shard that connections WATCH. */
    final Watches watches;
    /** The pub/sub subscriptions of this shard's connections. */
    final PubSub pubsub = new PubSub();
    /** The keyspace notifications of this shard's keys ({@code notify-keyspace-events}). */
    final KeyspaceNotifier notifier;
    /** The clients blocked on keys of this shard (BLPOP...), served after the writes that feed them. */
    final WaitQueues waits = new WaitQueues(this);
    /** Where this shard accepts connections; replaced by CONFIG SET port or bind (see Listeners). */
    io.github.jglommio.net.TcpListener listener;
    /** The connections this shard serves (CLIENT LIST, KILL, timeout). */
    final ShardClients clients = new ShardClients();
    /** The read buffers lent to the connections being served; see {@link Connection}. */
    final ReadBuffers readBuffers = new ReadBuffers();
    /** INFO commandstats and errorstats of this shard; the slow log's and latency monitor's feed. */
    final CommandStats stats;
    /** The connection whose batch runs now, for the slow log (set by ShardBatch.executeOn), or null. */
    Connection executing;
    /** The cross-shard transactions scheduled here and the keys they hold. */
    final TxManager txs = new TxManager();
    private final Semaphore resumeWake = new Semaphore(0);
    private boolean resumePending;
    private boolean stopResumer;
    private Task<Void> resumer;
    /** This shard's Lua state: runs the scripts whose keys are here (see {@link ScriptRun}). */
    final io.github.jglommio.kv.script.ScriptEngine scripts;
    /** Whether a MULTI block runs now whose records are already between MULTI and EXEC. */
    boolean inWrappedBlock;
    /** Set with {@code completion-batch auto}: tunes this shard's completion batching. */
    final CompletionBatchTuner batchTuner;

    /** The maxmemory settings last applied here, and this shard's share of maxmemory (0: no bound). */
    private LiveConfig.Memory memorySettings;
    private long memoryLimit;
    /**
     * Whether this shard is over its share with nothing it may evict, as the last command left it:
     * connections refuse commands queued in MULTI then, as Redis does when out of memory.
     * Written by this executor only; read by any shard's connections.
     */
    volatile boolean memoryFull;
    /**
     * Whether a transaction's block runs: its commands are not refused one by one (EXEC was checked)
     * and nothing is evicted until it ends, as Redis runs an EXEC.
     */
    private boolean inBlock;

    // Counters: written by this executor only, read through snapshot() on it.
    long commandsProcessed;
    long connectionsReceived;
    int connectedClients;
    long remoteBatches;
    long remoteMessages;
    long rejectedConnections;
    /** Records logged (each a change of the keyspace: Redis's dirty counter), and their count at the last SAVE. */
    long dirty;
    long dirtyAtSave;

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
        this.stats = new CommandStats(server);
        this.batchTuner = config.completionBatch() == KvConfig.COMPLETION_BATCH_AUTO
                ? new CompletionBatchTuner(config.completionBatchDelay()) : null;
        this.state = new KeyspaceStateMachine(System::currentTimeMillis,
                new KeyspaceCommands(new SplittableRandom(), server.admin.config.encodings), config.databases());
        this.dbs = state.databases();
        this.commands = state.commands();
        this.watches = new Watches(dbs.count());
        // The policy before the replay, so that the keys it makes get the access data of that policy.
        LiveConfig.Memory m = server.admin.config.memory();
        this.memorySettings = m;
        this.memoryLimit = m.shareOf(shards);
        dbs.memory().configure(m.policy(), m.samples(), m.lfuLogFactor(), m.lfuDecayTime());
        this.notifier = new KeyspaceNotifier(this);
        this.scripts = new io.github.jglommio.kv.script.ScriptEngine(server.scripts, server.functions,
                server.admin.config::busyReplyThresholdMs, System.getLogger("io.github.jglommio.kv.script"));
        state.observeExpirations(watches::touched);
        txs.onGlobalHold(waits::hold, waits::release);
        txs.onParkedReleased(() -> {
            if (!resumePending) {
                resumePending = true;
                resumeWake.signal(1);
            }
        });
        this.outHead = new ShardBatch[shards];
        this.outTail = new ShardBatch[shards];
        this.replyHead = new ShardBatch[shards];
        this.replyTail = new ShardBatch[shards];
        this.resumeHead = new ShardBatch[shards];
        this.resumeTail = new ShardBatch[shards];
    }

    /**
     * Executes one keyspace command here, appending its reply to {@code out} and its log record to
     * the log; returns the log token the reply must wait for (0: nothing to wait for).
     */
    long execute(CommandSpec spec, Command c, RespWriter out, int db) {
        if (server.busyShard != null) {
            out.error(ScriptRun.busyError(server)); // a script yields while it is busy: nothing else runs
            return 0;
        }
        if (spec != null && spec.routing() == io.github.jglommio.kv.command.Routing.SCRIPT) {
            commandsProcessed++;
            return ScriptRun.run(this, spec, c, out, db);
        }
        commandsProcessed++;
        dbs.memory().tick();
        if (memorySettings != server.admin.config.memory()) {
            applyMemorySettings();
        }
        if (memoryLimit != 0 && spec != null && spec.isDenyOom() && !inBlock && !makeRoom()) {
            stats.rejected(spec);
            stats.error(OOM);
            out.error(OOM);
            return 0;
        }
        Keyspace keyspace = dbs.get(db);
        if (!watches.isEmpty() && spec != null && spec.name().startsWith("flush")) {
            DbCommands.flushing(this, spec, keyspace);
        }
        long started = System.nanoTime();
        int mark = out.size();
        Command logged = commands.execute(spec, c, keyspace, out);
        stats.ran(spec, c, started, out, mark, executing);
        if (logged == null) {
            return 0;
        }
        if (memoryLimit != 0 && !inBlock) {
            makeRoom(); // evict right after the write, so that the bound holds between commands
        }
        if (!watches.isEmpty()) {
            watches.touched(db, logged);
        }
        long token = append(db, logged);
        if (!waits.isEmpty()) {
            waits.touched(db, logged);
            waits.drain(); // after the record: a waiter's pop is logged after the push that fed it
        }
        return token;
    }

    /** Redis's reply to a command that may grow the data while memory is over maxmemory. */
    static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    /**
     * Applies changed maxmemory settings, then evicts keys of this shard (each logged as a
     * {@code DEL}, like an expired key's) until its data is within its share of maxmemory, the
     * bound divided by the number of shards. Returns false while the data is over the share with
     * nothing the policy may evict: a command flagged denyoom is then refused with {@link #OOM}.
     */
    boolean makeRoom() {
        boolean fits = memoryLimit == 0 || dbs.evictToFit(memoryLimit);
        if (memoryFull == fits) {
            memoryFull = !fits;
        }
        return fits;
    }

    /**
     * Takes the maxmemory settings CONFIG SET left (on the next command, or at once through
     * {@link ConfigCommand}), and evicts to a lowered bound as Redis does.
     */
    void applyMemorySettings() {
        LiveConfig.Memory m = server.admin.config.memory();
        memorySettings = m;
        memoryLimit = m.shareOf(shards);
        dbs.memory().configure(m.policy(), m.samples(), m.lfuLogFactor(), m.lfuDecayTime());
        makeRoom();
    }

    /** This shard's share of maxmemory in bytes, 0 for none. */
    /** Whether a transaction's block is running (nothing is evicted meanwhile). */
    boolean inBlock() {
        return inBlock;
    }

    long memoryLimit() {
        return memoryLimit;
    }

    /** Appends {@code record}, a write of database {@code db}, after a SELECT record if the log was in another. */
    long append(int db, Command record) {
        dirty++;
        Command select = state.switchLogDb(db);
        if (select != null) {
            log.append(select);
        }
        return log.append(record);
    }

    /** The keyspace of database {@code db} (made on first use). */
    Keyspace keyspace(int db) {
        return dbs.get(db);
    }

    /** WATCH of {@code keys}' arguments 1..n of database {@code db}, all of them this shard's, for {@code w}. */
    void watch(Command keys, WatchState w, int db) {
        Keyspace keyspace = dbs.get(db);
        for (int i = 1; i < keys.argCount(); i++) {
            watches.watch(keys.arg(i), w, keyspace);
        }
    }

    /** The end of a WATCH of {@code keys}' arguments 1..n of database {@code db} for {@code w}. */
    void unwatch(Command keys, WatchState w, int db) {
        for (int i = 1; i < keys.argCount(); i++) {
            watches.unwatch(db, keys.arg(i), w);
        }
    }

    static final Command MULTI_RECORD = Command.of("MULTI");
    static final Command EXEC_RECORD = Command.of("EXEC");

    /**
     * Runs the transaction that starts at entry {@code at} of {@code b} (see {@link ShardBatch#EXEC}):
     * unless a watched key changed, every command of the block, in order, without a park in
     * between, so no other command of this shard sees half of it; its log records go between
     * {@code MULTI} and {@code EXEC} when it has two or more writes. Sets the replies and tokens of
     * the block's entries; returns the highest token.
     */
    long executeTransaction(ShardBatch b, int at) {
        TxBlock block = b.blocks[at];
        if (block.watch() != null && block.watch().isDirty(System.currentTimeMillis())) {
            b.reply.nullArray();
            b.endReply(at);
            for (int k = 1; k <= block.count(); k++) {
                b.endReply(at + k);
            }
            return 0;
        }
        b.endReply(at);
        boolean wrap = block.writes() > 1;
        long token = wrap ? log.append(MULTI_RECORD) : 0;
        waits.hold(); // blocked clients are served after the transaction, as in Redis
        inBlock = true;
        inWrappedBlock = wrap;
        try {
            for (int k = 1; k <= block.count(); k++) {
                CommandSpec spec = b.specs[at + k];
                long t = DbCommands.isSwapDb(spec) ? DbCommands.swapHere(this, b.commands[at + k], b.reply)
                        : execute(spec, b.commands[at + k], b.reply, b.dbs[at + k]);
                b.tokens[at + k] = t;
                b.endReply(at + k);
                token = Math.max(token, t);
            }
            if (wrap) {
                token = log.append(EXEC_RECORD);
            }
        } finally {
            inBlock = false;
            inWrappedBlock = false;
            waits.release();
        }
        if (memoryLimit != 0) {
            makeRoom(); // after the block, never inside it: no key the block wrote goes before it ends
        }
        return token;
    }

    /** Queues {@code batch} for shard {@code target}; the flusher sends it with the rest of the turn's. Never parks. */
    void send(int target, ShardBatch batch) {
        append(outHead, outTail, target, batch);
        if (!flushPending) {
            flushPending = true;
            flushWake.signal(1);
        }
    }

    private static void append(ShardBatch[] head, ShardBatch[] tail, int s, ShardBatch b) {
        b.next = null;
        if (head[s] == null) {
            head[s] = b;
        } else {
            tail[s].next = b;
        }
        tail[s] = b;
    }

    /** Sends each shard's list as one message over {@code mesh} and empties the lists; parks while a channel is full. */
    private void sendAll(ShardBatch[] head, ShardBatch[] tail, MeshConnection<ShardBatch> mesh) {
        for (int s = 0; s < shards; s++) {
            ShardBatch first = head[s];
            if (first != null) {
                head[s] = null;
                tail[s] = null;
                mesh.senders().sendTo(s, first);
            }
        }
    }

    /** Starts the flusher task in the request queue; call once, before serving. */
    void startFlusher() {
        flusher = Task.localInto(this::flushRequests, requestQueue);
    }

    /** The flusher task: sends each outbox as one message; parks while a channel is full. */
    private Void flushRequests() {
        while (true) {
            flushWake.acquire(1);
            flushPending = false;
            notifier.sealed();
            sendAll(outHead, outTail, requests);
            if (stopFlusher && !flushPending) {
                return null;
            }
        }
    }

    /**
     * The request task: executes other shards' batches until every shard closed its senders. It
     * executes every message that has arrived (until it holds {@value #MAX_BATCHES_PER_TURN} batches),
     * waits once until their writes are durable (one log write covers them all), then sends the
     * replies back, one message per origin; when the log failed, the writes among them are answered
     * with its error instead.
     */
    void serveRequests() {
        ShardBatch m;
        while ((m = requests.receivers().recv()) != null) {
            int n = 0;
            long token = 0;
            do {
                remoteMessages++;
                for (ShardBatch b = m, next; b != null; b = next) {
                    next = b.next; // a deferred reply reuses b.next once b leaves this loop
                    remoteBatches++;
                    if (b.notices != null) {
                        b.deliverNotices(this); // no reply: the publishing shard does not wait
                        continue;
                    }
                    if (b.txPart != null) {
                        long t = transaction(b);
                        if (t < 0) {
                            continue; // a lock that waits: its reply goes when the keys are held
                        }
                        token = Math.max(token, t);
                    } else {
                        token = Math.max(token, b.executeOn(this, 0));
                        if (b.blockedAt >= 0) {
                            txs.park(b); // a key it needs is held: resumed after the release
                            continue;
                        }
                    }
                    if (n == held.length) {
                        held = Arrays.copyOf(held, n * 2);
                    }
                    held[n++] = b;
                }
            } while (n < MAX_BATCHES_PER_TURN && (m = requests.receivers().tryRecv()) != null);
            replyWhenDurable(held, n, token, replyHead, replyTail);
        }
    }

    /**
     * Waits once until the records up to {@code token} are durable (when the log failed, the
     * writes among the {@code n} batches are answered with its error instead), then sends the
     * batches back, one message per origin, through the given reply lists, and forgets them.
     */
    private void replyWhenDurable(ShardBatch[] done, int n, long token, ShardBatch[] head, ShardBatch[] tail) {
        if (token != 0 && !log.awaitDurable(token)) {
            String error = log.writeError();
            for (int i = 0; i < n; i++) {
                done[i].failWrites(error);
            }
        }
        for (int i = 0; i < n; i++) {
            ShardBatch b = done[i];
            done[i] = null;
            append(head, tail, b.origin, b);
        }
        sendAll(head, tail, replies);
    }

    /**
     * A cross-shard transaction's message (see {@link CrossShard}, {@link TxPart}): returns the
     * log token its reply waits for, or -1 for a lock that waits for earlier transactions (its reply
     * is sent when this shard activates it).
     */
    private long transaction(ShardBatch b) {
        TxPart p = b.txPart;
        switch (p.kind) {
            case TxPart.LOCK -> {
                boolean[] inline = {true};
                boolean[] activeNow = {false};
                boolean ok = txs.schedule(p.txid, p.keys, b.owner, () -> {
                    gather(p);
                    if (inline[0]) {
                        activeNow[0] = true;
                    } else {
                        b.next = null;
                        replies.senders().sendTo(b.origin, b);
                    }
                });
                inline[0] = false;
                if (!ok) {
                    p.rejected = true;
                    return 0;
                }
                return activeNow[0] ? 0 : -1;
            }
            case TxPart.INSTALL -> {
                long token = install(p);
                if (p.participants == null) {
                    finishTransaction(p.txid); // the only part: as durable as any single write
                    if (memoryLimit != 0) {
                        makeRoom(); // once the keys are released: a cross-shard write may have grown this shard
                    }
                }
                return token;
            }
            case TxPart.SWAP -> {
                beginPart(p.txid, p.participants);
                long token = 0;
                for (int i = 0; i + 1 < p.swaps.length; i += 2) {
                    token = swap(p.swaps[i], p.swaps[i + 1]);
                }
                token = endPart(p.participants, token);
                if (!p.held && p.participants == null) {
                    finishTransaction(p.txid); // and serves the clients the swap woke
                }
                return token;
            }
            case TxPart.FLUSH -> {
                RespWriter ignored = new RespWriter(16); // the origin answers; every shard answers +OK alike
                beginPart(p.txid, p.participants);
                long token = execute(io.github.jglommio.kv.command.CommandTable.lookup(p.flush), p.flush, ignored,
                        p.flushDb);
                token = endPart(p.participants, token);
                if (p.participants == null) {
                    txs.finish(p.txid);
                }
                return token;
            }
            case TxPart.GATHER -> {
                gather(p);
                return 0;
            }
            case TxPart.PUT -> {
                return install(p);
            }
            case TxPart.OPEN -> {
                beginPart(p.txid, p.participants);
                return 0; // the CLOSE waits for the whole block
            }
            case TxPart.CLOSE -> {
                return closePart(p.txid, p.participants, p.opened);
            }
            default -> {
                if (p.undecided) {
                    txs.undecided(p.txid);
                }
                notifier.publishAll(p.notices); // events of keys the transaction left as they were (a failed SMOVE...)
                finishTransaction(p.txid);
                if (memoryLimit != 0) {
                    makeRoom(); // a released cross-shard write may have grown this shard
                }
                return 0;
            }
        }
    }

    /**
     * Opens this shard's part of transaction {@code txid} in the log when {@code participants} (two
     * or more shards) log parts of it: {@code TXPART} and {@code MULTI}, so that replay applies the
     * part only if every participant logged its own (see {@code kv.aof}). No-op when null.
     */
    void beginPart(long txid, int[] participants) {
        if (participants != null) {
            log.append(TxRecords.part(txid, participants));
            log.append(TxRecords.multi());
        }
    }

    /** Closes a part opened by {@link #beginPart} ({@code EXEC}); returns the token to wait for. */
    long endPart(int[] participants, long token) {
        return participants == null ? token : log.append(TxRecords.exec());
    }

    /**
     * Ends this shard's block of held run {@code txid} ({@link HeldRun.Blocks}): {@code EXEC}, after
     * {@code TXPART} and {@code MULTI} unless {@code opened} (the run changed nothing here, and the
     * empty block says so to replay); returns the token to wait for.
     */
    long closePart(long txid, int[] participants, boolean opened) {
        if (!opened) {
            beginPart(txid, participants);
        }
        return endPart(participants, 0);
    }

    /** Fills a held transaction's part with the current values of its keys (null: missing). */
    void gather(TxPart p) {
        if (p.keys == null) {
            return; // the whole keyspace (SWAPDB): nothing to hand over
        }
        int n = p.keys.length;
        p.values = new Object[n];
        p.expireAts = new long[n];
        p.marks = new int[n];
        for (int i = 0; i < n; i++) {
            Keyspace keyspace = dbs.get(p.dbs[i]);
            Object v = keyspace.get(p.keys[i]);
            p.values[i] = v;
            p.expireAts[i] = v == null ? Keyspace.MISSING : keyspace.expireAt(p.keys[i]);
            p.marks[i] = keyspace.encodingMark(p.keys[i]);
        }
    }

    /**
     * Sets the keys of a transaction's part to their new values (null: deleted) and logs each as
     * {@code DEL} plus the commands that rebuild it (inside MULTI/EXEC when there are several, or
     * inside the part's {@code TXPART} block, or inside a held run's open one); returns the last
     * record's token.
     */
    long install(TxPart p) {
        notifier.suspend(); // the coordinator captured the events of what is installed
        try {
            return installKeys(p);
        } finally {
            notifier.resume();
            notifier.publishAll(p.notices);
        }
    }

    private long installKeys(TxPart p) {
        List<Command> records = new ArrayList<>();
        List<Integer> recordDbs = new ArrayList<>();
        for (int i = 0; i < p.keys.length; i++) {
            byte[] key = p.keys[i];
            int db = p.dbs[i];
            Keyspace keyspace = dbs.get(db);
            int before = records.size();
            Object v = p.values[i];
            if (v == null) {
                if (keyspace.delete(key)) {
                    records.add(Command.of(DEL, key));
                }
            } else {
                keyspace.delete(key);
                keyspace.set(key, v, p.expireAts[i]);
                keyspace.setEncodingMark(key, p.marks == null ? 0 : p.marks[i]);
                records.add(Command.of(DEL, key));
                LogRewriter.emit(key, v, p.expireAts[i], records::add);
            }
            for (int r = before; r < records.size(); r++) {
                recordDbs.add(db);
            }
            watches.touched(db, key);
            waits.touched(db, key); // served once the transaction released its keys (finishTransaction)
        }
        long token = 0;
        boolean wrap = p.participants == null && !p.inBlock && records.size() > 1;
        if (wrap) {
            log.append(MULTI_RECORD);
        }
        beginPart(p.txid, p.participants);
        for (int r = 0; r < records.size(); r++) {
            token = append(recordDbs.get(r), records.get(r));
        }
        if (wrap) {
            token = log.append(EXEC_RECORD);
        }
        return endPart(p.participants, token);
    }

    private static final byte[] DEL = {'D', 'E', 'L'};

    /**
     * SWAPDB {@code a} {@code b} here, while this shard holds SWAPDB's whole-keyspace transaction
     * (see {@link DbCommands}): marks the watches, swaps, logs; returns the record's token.
     */
    long swap(int a, int b) {
        if (!watches.isEmpty()) {
            watches.swapping(dbs.get(a), dbs.get(b));
        }
        dbs.swap(a, b);
        long token = log.append(DbCommands.swapRecord(a, b));
        if (!waits.isEmpty()) {
            waits.swapped(a, b); // served once the swap's hold ends (finishTransaction, or the block's release)
        }
        return token;
    }

    /** Ends transaction {@code txid} here, then serves the clients blocked on the keys it installed. */
    void finishTransaction(long txid) {
        txs.finish(txid);
        waits.drain();
    }

    /** Starts the task that resumes batches parked behind a transaction; call once, before serving. */
    void startResumer() {
        resumer = Task.localInto(this::resumeParked, requestQueue);
    }

    /**
     * The resumer task: after a transaction released keys here, runs the other shards' batches that
     * waited for them (from where they stopped), waits for their log write, and sends the replies.
     */
    private Void resumeParked() {
        while (true) {
            resumeWake.acquire(1);
            resumePending = false;
            if (stopResumer) {
                return null;
            }
            List<ShardBatch> done = new ArrayList<>();
            long token = 0;
            for (ShardBatch b : txs.takeParked()) {
                b.executeOn(this, b.blockedAt);
                if (b.blockedAt >= 0) {
                    txs.park(b); // held again by the next transaction
                } else {
                    token = Math.max(token, b.maxToken()); // with the records from before it stopped
                    done.add(b);
                }
            }
            // Own reply lists: the request task may be in the middle of sending with its lists.
            replyWhenDurable(done.toArray(new ShardBatch[0]), done.size(), token, resumeHead, resumeTail);
        }
    }

    /** Ends the resumer task (after the request task ended: nothing is parked any more). */
    void stopResumer() {
        stopResumer = true;
        resumeWake.signal(1);
        if (resumer != null) {
            resumer.join();
        }
    }

    /** The reply task: wakes the connection each reply of a message belongs to. */
    void dispatchReplies() {
        ShardBatch m;
        while ((m = replies.receivers().recv()) != null) {
            for (ShardBatch b = m; b != null; ) {
                ShardBatch next = b.next; // the connection reuses b once it runs
                b.owner.replyArrived();
                b = next;
            }
        }
    }

    /**
     * No more requests from this shard (its connections have ended): the flusher sends what is queued
     * and ends, then the senders close; the peers' request tasks end once all shards said so.
     */
    void closeRequests() {
        stopFlusher = true;
        flushPending = true;
        flushWake.signal(1);
        if (flusher != null) {
            flusher.join();
        }
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
        for (int db = 0; db < dbs.count(); db++) {
            Keyspace keyspace = dbs.peek(db);
            if (keyspace != null) {
                keyspace.forEachLive((key, value, expireAtMillis) -> {
                    if (expireAtMillis != Keyspace.NO_EXPIRY) {
                        expires[0]++;
                    }
                });
            }
        }
        return new Snapshot(id, ex.name(), ex.cpu().isPresent() ? ex.cpu().getAsInt() : -1, dbs.totalSize(),
                expires[0], commandsProcessed, connectionsReceived, connectedClients, remoteBatches, remoteMessages,
                rejectedConnections, batchTuner == null ? server.config.completionBatch() : batchTuner.batch, ex.stats(),
                log.describe(), dbs.usedBytes(), dbs.memory().evictedKeys(), dirty - dirtyAtSave,
                commands.lazyFreed());
    }

    /** A shard's figures at one moment, for INFO. */
    record Snapshot(int shard, String executor, int cpu, long keys, long expires, long commandsProcessed,
                    long connectionsReceived, int connectedClients, long remoteBatches, long remoteMessages,
                    long rejectedConnections,
                    int completionBatch, io.github.jglommio.ExecutorStats stats, String log, long usedMemory,
                    long evictedKeys, long changesSinceSave, long lazyFreed) {
    }
}
