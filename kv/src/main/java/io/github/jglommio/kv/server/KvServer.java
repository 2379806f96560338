package io.github.jglommio.kv.server;

import io.github.jglommio.CpuSet;
import io.github.jglommio.ExecutorHandle;
import io.github.jglommio.Latency;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorPoolBuilder;
import io.github.jglommio.PoolPlacement;
import io.github.jglommio.PoolThreadHandles;
import io.github.jglommio.Shares;
import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.channels.MeshBuilder;
import io.github.jglommio.channels.MeshConnection;
import io.github.jglommio.kv.aof.LogHealthListener;
import io.github.jglommio.kv.aof.TxDecisions;
import io.github.jglommio.kv.resp.RespParser;
import io.github.jglommio.net.TcpListener;
import io.github.jglommio.net.TcpStream;
import io.github.jglommio.sync.Gate;
import io.github.jglommio.timer.Timer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The Redis-compatible server: one shard per executor, all listening on the same port
 * ({@code SO_REUSEPORT}: the kernel spreads connections), keys spread over the shards by
 * {@link KeyHash}, and two full channel meshes between the shards for requests and replies.
 *
 * {@snippet :
 * try (KvServer server = KvServer.start(KvConfig.defaults().withPort(0))) {
 *     int port = server.port();           // redis-cli -p port
 * }
 * }
 *
 * <p>Each shard's tasks: the accept loop (its first task), one task per connection, the request,
 * reply and flusher tasks of the meshes and the log's writer, all in a {@code Latency.matters} task
 * queue; the active-expire cycle
 * and the log's compaction in a low-shares queue, so they take the core only when requests leave it.
 *
 * <p>Stopping ({@link #close}, or SIGINT/SIGTERM with {@link #shutdownOnExit}): every shard closes
 * its listener, then its connections (their in-flight replies still go out), then tells the other
 * shards it sends no more requests; its request task ends once every shard did so, so no write
 * arrives after that; then it closes its log, synced.
 *
 * <p>A log that cannot be written (see {@link ShardLog}) makes every shard refuse writes and PING
 * with its {@code -MISCONF} error until its retry succeeds, as Redis does.
 *
 * <p>Threading: the static factory and the instance methods may be called from any thread that is
 * not a shard's.
 */
public final class KvServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KvServer.class.getName());
    private static final Duration EXPIRE_PERIOD = Duration.ofMillis(100);
    private static final int EXPIRE_KEYS_PER_CYCLE = 200;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    private static final byte[] MAX_CLIENTS = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

    final KvConfig config;
    /** The server commands' state: live configuration, slow log, monitors, pause. */
    final Admin admin;
    /** Every shard's pub/sub subscriptions, counted for PUBSUB and INFO. */
    final PubSubCounts pubsubCounts = new PubSubCounts();
    final long startMillis = System.currentTimeMillis();
    final AtomicInteger clients = new AtomicInteger();
    /** The port CONFIG SET port moved the listeners to, or 0 while they are where they started. */
    volatile int currentPort;
    final AtomicLong clientIds = new AtomicLong();
    final AtomicLong rejectedConnections = new AtomicLong();
    private final AtomicReferenceArray<Shard> shards;
    private final AtomicReferenceArray<ExecutorHandle> handles;
    private final CompletableFuture<Integer> boundPort = new CompletableFuture<>();
    private final CompletableFuture<Void> allListening = new CompletableFuture<>();
    private final AtomicInteger listening = new AtomicInteger();
    /** Per shard: the MISCONF error while its log cannot be written, else null. */
    private final AtomicReferenceArray<String> logErrors;
    private final AtomicInteger failedLogs = new AtomicInteger();
    private PoolThreadHandles<Void> pool;
    /** This server's hold on its data directory, released once the shards stopped. */
    private Exclusive dirLock;

    private KvServer(KvConfig config) {
        this.config = config;
        this.admin = new Admin(this, config);
        this.shards = new AtomicReferenceArray<>(config.shards());
        this.handles = new AtomicReferenceArray<>(config.shards());
        this.logErrors = new AtomicReferenceArray<>(config.shards());
    }

    /**
     * Starts the shards, replays their logs and returns once every shard listens.
     *
     * @throws IOException when a shard could not open its log or bind the port (the shards started
     *                     are stopped)
     */
    public static KvServer start(KvConfig config) throws IOException {
        // One server per port and per data directory (see Exclusive), before any shard starts.
        Exclusive.checkPortFree(new InetSocketAddress(config.bind(), config.port()));
        KvServer server = new KvServer(config);
        server.dirLock = Exclusive.lockDirectory(config.dir());
        try {
            // Before any shard replays: which cross-shard transactions every shard's log holds (see kv.aof).
            server.txDecisions = config.appendOnly()
                    ? TxDecisions.scan(config.dir(), ShardLogs.maxBulkLength(config), RespParser.DEFAULT_MAX_MULTIBULK_LENGTH)
                    : TxDecisions.NONE;
        } catch (IOException | RuntimeException e) {
            server.releaseDirectory();
            throw e;
        }
        server.txIds.set(server.txDecisions.maxTxId()); // new ids above every logged one
        int n = config.shards();
        MeshBuilder<ShardBatch> requests = MeshBuilder.full(n, 1024);
        MeshBuilder<ShardBatch> replies = MeshBuilder.full(n, 1024);
        PoolPlacement placement = config.pin() && n <= CpuSet.online().size()
                ? PoolPlacement.maxSpread(n) : PoolPlacement.unbound(n);
        server.pool = new LocalExecutorPoolBuilder(placement).name("kv")
                .completionBatching(Math.max(1, config.completionBatch()), config.completionBatchDelay())
                .onAllShards(() -> server.runShard(requests, replies));
        try {
            server.allListening.join();
        } catch (RuntimeException e) {
            server.pool.shutdown(Duration.ofSeconds(1));
            server.releaseDirectory();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw cause instanceof IOException io ? io : new IOException("server did not start: " + cause.getMessage(), cause);
        }
        return server;
    }

    /** The port every shard listens on (the one chosen when the configuration said 0, or CONFIG SET's). */
    public int port() {
        int p = currentPort;
        return p != 0 ? p : boundPort.join();
    }

    /** The settings the server runs with. */
    public KvConfig config() {
        return config;
    }

    /** The number of shards. */
    public int shards() {
        return config.shards();
    }

    /** Stops the server on SIGINT, SIGTERM or {@code System.exit}; see the class javadoc. */
    public void shutdownOnExit() {
        pool.shutdownOnExit(SHUTDOWN_GRACE);
    }

    /** Waits until every shard has stopped. */
    public void awaitTermination() {
        pool.joinAll();
        releaseDirectory();
    }

    /** Stops every shard and waits for them; the logs are closed synced, then the data directory is released. Idempotent. */
    @Override
    public void close() {
        pool.shutdown(SHUTDOWN_GRACE);
        releaseDirectory();
    }

    private synchronized void releaseDirectory() {
        if (dirLock != null) {
            try {
                dirLock.close();
            } catch (IOException e) {
                // the process's end releases it anyway
            }
            dirLock = null;
        }
    }

    /** The figures of every shard, each taken on its own executor; call from a task. */
    List<Shard.Snapshot> snapshots() {
        List<CompletableFuture<Shard.Snapshot>> futures = new ArrayList<>();
        for (int s = 0; s < shards.length(); s++) {
            Shard shard = shards.get(s);
            futures.add(handles.get(s).submit(shard::snapshot));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private final java.util.concurrent.atomic.AtomicLong txIds = new java.util.concurrent.atomic.AtomicLong();
    /** What the logs said of cross-shard transactions at start; set before the shards start. */
    private TxDecisions txDecisions = TxDecisions.NONE;

    /** The next id of a cross-shard transaction: one global order (see {@link TxManager}). Any thread. */
    long nextTxId() {
        return txIds.incrementAndGet();
    }

    /** The clients blocked in a blocking pop (BLPOP...), for INFO and CLIENT UNBLOCK. */
    final BlockedClients blocked = new BlockedClients();

    /** Runs {@code work} on shard {@code s}'s executor; the future completes there. Any thread. */
    <T> CompletableFuture<T> onShard(int s, java.util.function.Function<Shard, T> work) {
        Shard shard = shards.get(s);
        return handles.get(s).submit(() -> work.apply(shard));
    }

    /** Runs {@code work} on every shard (on its executor) and waits for all. */
    void onEveryShard(java.util.function.Consumer<Shard> work) {
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int s = 0; s < shards.length(); s++) {
            Shard shard = shards.get(s);
            futures.add(handles.get(s).submit(() -> work.accept(shard)));
        }
        futures.forEach(CompletableFuture::join);
    }

    /**
     * The error every write gets while some shard's log cannot be written ({@code MISCONF Errors
     * writing to the AOF file: No space left on device}, without the '-'), else null. Any thread: one
     * volatile read while all logs work.
     */
    String diskError() {
        if (failedLogs.get() == 0) {
            return null;
        }
        for (int s = 0; s < logErrors.length(); s++) {
            String e = logErrors.get(s);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /** What shard {@code id}'s log tells the server: the writes of every shard stop and resume with it. */
    private LogHealthListener healthOf(int id) {
        return new LogHealthListener() {
            @Override
            public void failed(IOException cause) {
                if (logErrors.getAndSet(id, ShardLogs.misconf(cause)) == null) {
                    failedLogs.incrementAndGet();
                }
            }

            @Override
            public void recovered() {
                if (logErrors.getAndSet(id, null) != null) {
                    failedLogs.decrementAndGet();
                }
            }
        };
    }

    // ---------------------------------------------------------------- one shard

    private Void runShard(MeshBuilder<ShardBatch> requestMesh, MeshBuilder<ShardBatch> replyMesh) throws IOException {
        LocalExecutor ex = LocalExecutor.current();
        MeshConnection<ShardBatch> requests = requestMesh.join();
        MeshConnection<ShardBatch> replies = replyMesh.join();
        int id = requests.peerId();
        TaskQueueHandle requestQueue = ex.createTaskQueue(Shares.of(1000), Latency.matters(Duration.ofMillis(1)),
                "kv-requests");
        TaskQueueHandle background = ex.createTaskQueue(Shares.of(50), Latency.notImportant(), "kv-background");
        Shard shard = new Shard(id, config.shards(), this, requestQueue, background, requests, replies);
        TcpListener listener;
        try {
            shard.log = ShardLogs.open(config, id, shard.state, txDecisions, shard.txs::horizon, requestQueue,
                    background, healthOf(id));
            listener = bind(id);
        } catch (IOException | RuntimeException e) {
            allListening.completeExceptionally(e);
            boundPort.completeExceptionally(e);
            throw e;
        }
        shard.listener = listener;
        shards.set(id, shard);
        handles.set(id, ex.handle());
        Task<Void> requestTask = Task.localInto(shard::serveRequests, requestQueue);
        Task<Void> replyTask = Task.localInto(shard::dispatchReplies, requestQueue);
        shard.startFlusher();
        shard.startResumer();
        Task<Void> expireTask = Task.localInto(() -> expireLoop(shard), background);
        Task<Void> tunerTask = shard.batchTuner == null ? null : Task.localInto(shard.batchTuner::run, background);
        ex.onStopRequest(() -> {
            try {
                shard.listener.close(); // the one listening now: CONFIG SET port may have replaced it
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the listener of shard " + id, e);
            }
        });
        if (listening.incrementAndGet() == config.shards()) {
            allListening.complete(null);
        }
        Set<Connection> open = new LinkedHashSet<>();
        Gate gate = new Gate();
        while (true) {
            TcpListener current = shard.listener;
            try {
                accept(shard, current.accept(), open, gate);
            } catch (ClosedChannelException closed) {
                if (shard.listener == current) {
                    break; // the stop hook closed the listener
                }
                // CONFIG SET port or bind put another listener in its place (see Listeners)
            }
        }
        for (Connection c : List.copyOf(open)) {
            closeQuietly(c.stream);
        }
        gate.close();
        shard.closeRequests();
        requestTask.join();
        shard.stopResumer();
        shard.closeReplies();
        replyTask.join();
        expireTask.cancel();
        if (tunerTask != null) {
            tunerTask.cancel();
        }
        shard.log.close();
        requests.close();
        replies.close();
        return null;
    }

    private TcpListener bind(int id) throws IOException {
        if (id == 0) {
            TcpListener l = TcpListener.bind(new InetSocketAddress(config.bind(), config.port()));
            boundPort.complete(l.localAddr().getPort());
            return l;
        }
        // The others bind the port shard 0 got (it matters when the configuration says 0).
        return TcpListener.bind(new InetSocketAddress(config.bind(), boundPort.join()));
    }

    private void accept(Shard shard, TcpStream stream, Set<Connection> open, Gate gate) {
        shard.connectionsReceived++;
        if (clients.incrementAndGet() > admin.config.maxClients()) {
            clients.decrementAndGet();
            shard.rejectedConnections++;
            Task.localInto(() -> {
                try (stream) {
                    stream.writeAll(MAX_CLIENTS);
                } catch (IOException e) {
                    // the client went away first
                }
            }, shard.requestQueue).detach();
            return;
        }
        Connection c = new Connection(shard, stream, clientIds.incrementAndGet());
        open.add(c);
        shard.clients.add(c, shard.background, admin.config);
        shard.connectedClients++;
        gate.spawnInto(() -> {
            try {
                stream.setNoDelay(true);
                c.serve();
            } catch (IOException e) {
                // reset, closed at shutdown, or a write to a client that left: the connection ends
            } catch (java.io.UncheckedIOException e) {
                // the log was closed under it (shutdown): its writes are not acknowledged
                LOG.log(System.Logger.Level.DEBUG, "shard " + shard.id + ": connection ended by shutdown", e);
            } finally {
                open.remove(c);
                shard.clients.remove(c, admin);
                shard.connectedClients--;
                clients.decrementAndGet();
                closeQuietly(stream);
            }
        }, shard.requestQueue).detach();
    }

    private static void closeQuietly(TcpStream s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing at the end of a connection: nothing left to tell the client
        }
    }

    private static void expireLoop(Shard shard) {
        while (true) {
            Timer.sleep(EXPIRE_PERIOD);
            if (!shard.txs.anyActive()) { // a transaction's keys do not expire under it
                shard.dbs.expireCycle(EXPIRE_KEYS_PER_CYCLE);
            }
        }
    }
}
