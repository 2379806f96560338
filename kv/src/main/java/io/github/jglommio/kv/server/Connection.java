package io.github.jglommio.kv.server;

import io.github.jglommio.kv.aof.DurabilityCallback;
import io.github.jglommio.kv.command.BlockingPops;
import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.command.Cursors;
import io.github.jglommio.kv.command.Routing;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.ProtocolException;
import io.github.jglommio.kv.resp.RespParser;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.net.TcpStream;
import io.github.jglommio.sync.Semaphore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One client connection, served by one task on the shard that accepted it.
 *
 * <p>Per read: every complete request in the bytes that arrived is parsed and planned in order.
 Each keyed command joins the {@link ShardBatch} of the shard that owns its key; a multi-key or
 * all-shard command is split into parts ({@link Fanout}). Then the batches go out over the request
 * mesh (one message per shard), this shard runs its own batch while the others run theirs, the
 * local log records are awaited when {@code appendfsync always} asks for it, the task waits for
 * every remote reply, and all replies go out in request order with one socket write. A reply made
 * during planning (server commands such as AUTH or QUIT, errors) first runs this shard's queued
 * commands, so the local batch's replies stay in request order; a server command that follows
 * commands for other shards first answers everything before it, so that it sees their writes. Commands for one shard run in request
 * order, so a pipeline sees its own writes.
 *
 * <p>When nothing left the shard (the common case with one shard, or a key that hashed here), the
 * local batch's reply buffer is the response and is written without a copy. If that pipeline wrote,
 * its replies are <em>held</em>: the log calls {@link #sendHeld} once the writes are durable (from
 * the task that wrote the batch), and this task meanwhile goes back to reading instead of parking
 * until the write and waking again; it waits for the held reply only before it plans the next
 * requests, writes anything else or closes. A reply is held only if the log's task can send it
 * without parking ({@code TcpStream.canWriteWithoutParking}: small, and no earlier send still
 * waiting for a slow client), so a client that does not read cannot stall the log.
 *
 * <p>Every reply is encoded in the connection's protocol, RESP2 or RESP3 ({@link #protocol(int)}, set
 * by HELLO): each of its writers, the batches' included, carries it, so replies that other shards
 * write come back in the right one.
 *
 * <p>Threading: the connection's task, plus {@link #replyArrived} from the shard's reply task (same
 * executor).
 */
final class Connection {

    /** The reply writers' first size; they grow as replies need. */
    private static final int WRITER_INITIAL = 128;
    /** A reply writer that grew past this is replaced by a small one when the connection goes idle. */
    private static final int WRITER_KEEP = 4 << 10;
    private static final byte[] NOAUTH = "-NOAUTH Authentication required.\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUEUED = "+QUEUED\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_RECEIVER = ":0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESET_REPLY = "+RESET\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final CommandSpec MULTI = CommandTable.lookup("multi");
    private static final CommandSpec EXEC = CommandTable.lookup("exec");
    private static final CommandSpec DISCARD = CommandTable.lookup("discard");
    private static final CommandSpec WATCH = CommandTable.lookup("watch");
    private static final CommandSpec UNWATCH = CommandTable.lookup("unwatch");
    /**
     * The server commands whose reply does not depend on what other shards did before them, so they
     * need not answer the pipeline so far first (see {@link #plan}): the transaction commands (their
     * entries travel in the shards' batches, after the earlier ones), PING and ECHO. Without this a
     * pipeline of transactions would write and wait for the log once per transaction.
     */
    private static final boolean[] ORDER_FREE = marked(java.util.Set.of(MULTI, EXEC, DISCARD, WATCH, UNWATCH,
            CommandTable.lookup("ping"), CommandTable.lookup("echo"))::contains);
    // What plan() asks of every command, looked up by ordinal instead of by name or flags.
    private static final boolean[] PUBLISH = marked(PubSubCommands::isPublish);
    private static final boolean[] SUBSCRIPTION = marked(PubSubCommands::isSubscription);
    private static final boolean[] BLOCKING = marked(BlockingPops::isBlocking);

    final Shard shard;
    final TcpStream stream;
    final long id;
    final long createdMillis = System.currentTimeMillis();
    /** What the server commands know of this connection (CLIENT LIST, MONITOR, timeout). */
    final ClientInfo client = new ClientInfo(this);
    private final RespParser parser;
    /** The read buffer, lent by the shard ({@link ReadBuffers}) while there are bytes to serve; null while idle. */
    private byte[] in;
    /** Where an idle connection's peek puts the byte it waits for; the byte stays in the socket. */
    private final byte[] peeked = new byte[1];
    private final RespWriter out = new RespWriter(WRITER_INITIAL);
    private final ShardBatch[] batches;
    private final ShardBatch local;
    private final Semaphore arrived = new Semaphore(0);
    /** Signalled when a held reply has been sent; see {@link #respond()}. */
    private final Semaphore heldSent = new Semaphore(0);
    private final DurabilityCallback sendHeld = this::sendHeld;
    /** True while this pipeline's replies wait for the log's callback, which sends them. */
    private boolean held;
    /** This connection's task parks in awaitHeld until sendHeld signals. */
    private boolean awaitingHeld;
    /** The held reply's write failed: the client is gone. */
    private IOException heldFailure;
    /** Bytes of the response being written that the socket has not taken yet (the soft output limit's measure). */
    private long writePending;
    /** When the client was first seen past its soft output limit, or 0; see {@link #pastSoftLimit}. */
    private long softLimitSinceMillis;

    // The plan of the pipeline being served: for request j, where its reply is.
    private int[] partShard = new int[8];
    private int[] partIndex = new int[8];
    private Fanout[] fanouts = new Fanout[8];
    /** For request j: the EXEC it is, or null. */
    private ExecReply[] execs = new ExecReply[8];
    /** MULTI and WATCH. */
    final Transaction tx;
    /** For request j: its reply is dropped (CLIENT REPLY OFF or SKIP). */
    private boolean[] silent = new boolean[8];
    /** True once a reply of this pipeline is dropped: respond() then copies replies one by one. */
    private boolean silenced;
    private int planned;
    /** True once a part of this pipeline went to another shard or was split. */
    private boolean scattered;
    private long localToken;
    /** Index in {@link #local} of the first command of this shard's not yet executed; see {@link #runLocal()}. */
    private int localRun;

    /**
     * The selected database (SELECT) as of the request being planned: every keyspace command
     * planned from now on runs in it. Changed by SELECT at plan time, so a pipeline may switch.
     */
    int db;
    /** Set when an EXEC must be answered before anything after it is planned (see {@link #exec}). */
    private boolean respondAfterPlan;

    /** The last {@link CompletionBatchTuner} window this connection was counted active in. */
    int activeWindow = -1;
    boolean authenticated;
    String name = "";
    /** The RESP version of the replies, 2 or 3; changed by HELLO and RESET through {@link #protocol(int)}. */
    int protocol = 2;
    long commands;
    /** This connection's pub/sub side, made by its first (un)subscribe; see {@link #subscriber()}. */
    private Subscriber subscriber;
    private QueuedPublish queuedPublish;
    /** The wait of the blocking pop this connection is blocked in, or null (see {@link BlockingCall}). */
    Waiter blockedOn;
    /** Whether BlockingCall's watch for a disconnect is parked on this connection's socket. */
    boolean watchingSocket;
    /** Set by QUIT: reply, then close. */
    boolean quit;
    /** CLIENT REPLY OFF: no reply to anything until CLIENT REPLY ON. */
    boolean replyOff;
    /** CLIENT REPLY SKIP: the next command's reply is dropped. */
    boolean skipNextReply;
    /**
     * Set by CLIENT REPLY while it runs: {@code -1} drops its own reply (OFF, SKIP), {@code 1}
     * sends it even though replies were off (ON), {@code 0} leaves it to the mode.
     */
    int ownReply;

    Connection(Shard shard, TcpStream stream, long id) {
        this.shard = shard;
        this.stream = stream;
        this.id = id;
        LiveConfig live = shard.server.admin.config;
        this.parser = new RespParser((int) Math.min(Integer.MAX_VALUE, live.protoMaxBulkLen()),
                RespParser.DEFAULT_MAX_MULTIBULK_LENGTH);
        this.authenticated = live.requirePass() == null;
        this.batches = new ShardBatch[shard.shards];
        for (int s = 0; s < batches.length; s++) {
            batches[s] = new ShardBatch(shard.id, this);
        }
        this.local = batches[shard.id];
        this.tx = new Transaction(shard.shards);
    }

    /** Serves the connection until the client leaves, QUIT, a protocol error or a closed socket. */
    void serve() throws IOException {
        try {
            serveRequests();
        } finally {
            try {
                awaitHeld(); // the stream closes after this returns: the held reply goes out first
            } finally {
                if (subscriber != null) {
                    subscriber.close(); // no subscription outlives the connection
                }
                unwatchOnClose();
                releaseReadBuffer();
            }
        }
    }

    private void serveRequests() throws IOException {
        while (!quit) {
            int n = read();
            awaitHeld();
            if (n < 0) {
                return;
            }
            client.touched();
            if (shard.batchTuner != null) {
                shard.batchTuner.active(this);
            }
            ProtocolException failure = null;
            int from = 0;
            while (from < n && !quit) {
                Command c;
                int start = from;
                try {
                    parser.requireAuthentication(!authenticated); // AUTH earlier in this read lifts the limits
                    c = parser.next(in, from, n);
                } catch (ProtocolException e) {
                    failure = e;
                    break;
                }
                from += parser.consumed();
                if (c == null) {
                    client.queryBuffered += from - start; // a request still coming: in the query buffer
                    break;
                }
                // As in Redis, the query buffer holds this command and the ones behind it while it runs.
                client.running(client.queryBuffered + n - start, c);
                plan(c);
                client.queryBuffered = 0;
            }
            client.ran();
            respond();
            if (failure != null) {
                awaitHeld();
                // Redis answers what came before, then the error, then closes the connection.
                byte[] error = ("-" + failure.getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8);
                write(error, 0, error.length);
                return;
            }
        }
    }

    /**
     * Reads the client's next bytes into {@link #in}; -1 at end of stream. A connection with nothing
     * to read first waits without a read buffer: it gives the buffer back to the shard, drops reply
     * writers that grew past {@value #WRITER_KEEP} bytes and peeks one byte, so an idle connection
     * holds a few hundred bytes of buffers instead of tens of KiB. Then it takes a buffer and reads.
     */
    private int read() throws IOException {
        if (client.monitor != null) {
            if (in == null) {
                in = shard.readBuffers.take();
            }
            return client.monitor.read(stream, in);
        }
        releaseReadBuffer();
        if (!held) {
            trimWriters(); // a held reply's writer is trimmed by sendHeld, once sent
        }
        if (stream.peek(peeked, 0, 1) < 0) {
            return -1;
        }
        in = shard.readBuffers.take();
        return stream.read(in, 0, in.length);
    }

    /** Gives the read buffer back to the shard: nothing of it is needed once its requests are parsed. */
    private void releaseReadBuffer() {
        if (in != null) {
            shard.readBuffers.giveBack(in);
            in = null;
        }
    }

    /** Replaces the reply writers that grew large by small ones; only between pipelines (nothing planned or held). */
    private void trimWriters() {
        out.clearAndTrim(WRITER_KEEP, WRITER_INITIAL);
        for (ShardBatch b : batches) {
            b.reply.clearAndTrim(WRITER_KEEP, WRITER_INITIAL);
        }
    }

    /**
     * Waits until a held reply (see {@link #respond()}) has been sent: before this connection plans
     * more requests (it reuses the buffers), writes anything else or closes.
     */
    private void awaitHeld() throws IOException {
        if (held) {
            awaitingHeld = true;
            heldSent.acquire(1);
        }
        IOException e = heldFailure;
        if (e != null) {
            heldFailure = null;
            throw e;
        }
    }

    /**
     * The log's callback for a held reply: its writes are durable (or the log failed: they are
     * answered with its error instead), so send the replies. Runs in the task that made them durable,
     * on this shard's executor; respond() checked that this write does not park.
     */
    private void sendHeld(boolean durable) {
        try {
            if (!durable) {
                local.failWrites(shard.log.writeError());
            }
            stream.write(local.reply.array(), 0, local.reply.size());
        } catch (IOException | RuntimeException e) {
            heldFailure = e instanceof IOException io ? io : new IOException("sending a reply failed", e);
        } finally {
            reset();
            trimWriters();
            held = false;
            if (awaitingHeld) {
                awaitingHeld = false;
                heldSent.signal(1);
            }
        }
    }

    /** Called by the shard's reply task when one of this connection's batches came back. */
    void replyArrived() {
        arrived.signal(1);
    }

    // ---------------------------------------------------------------- planning

    private void plan(Command c) throws IOException {
        CommandSpec spec = CommandTable.lookup(c);
        Admin admin = shard.server.admin;
        if (spec != null && admin.mustWait(this, spec)) {
            respond(); // CLIENT PAUSE: what came before is answered, this command waits
            admin.pause.await(spec, this);
        }
        if (planned > 0 && (needsCrossShard(spec, c) || blocksHere(spec, c))) {
            respond(); // a cross-shard transaction needs the batches, and sees what came before
        }
        if (scattered && spec != null && spec.routing() == Routing.SERVER && !ORDER_FREE[spec.ordinal()]
                && !tx.active) {
            // A server command (INFO, CLIENT LIST, ...) must see every write before it, some of
            // which wait in other shards' batches: answer what came before it first.
            respond();
        }
        if (planned > 0 && spec != null && !tx.active && SUBSCRIPTION[spec.ordinal()]) {
            respond(); // its frames go straight to the outbox: what came before is answered first
        }
        int j = next();
        commands++;
        boolean quiet = replyOff || skipNextReply;
        skipNextReply = false;
        ownReply = 0;
        String refusal = spec == null ? null : admin.refusal(this, spec);
        if (spec != null && refusal == null && (authenticated || spec.name().equals("auth"))
                && spec.acceptsArgCount(c.argCount())) {
            admin.planned(this, spec, c);
        }
        if (spec == null) {
            refuse(j, null, CommandTable.unknownCommandError(c));
        } else if (!authenticated && !spec.name().equals("auth") && !spec.name().equals("quit")
                && !spec.name().equals("hello") && !spec.name().equals("reset")) {
            tx.failed |= tx.active;
            int idx = startReplyNow(null, null);
            local.reply.raw(NOAUTH);
            endReplyNow(j, idx);
        } else if (!spec.acceptsArgCount(c.argCount())) {
            refuse(j, spec, spec.arityError());
        } else if (tx.active && spec != EXEC && spec != DISCARD && !spec.name().equals("quit")
                && !spec.name().equals("reset") && shard.server.memoryFull()) {
            // As Redis when out of memory: queuing could grow without bound, so nothing is queued
            // (and the transaction fails); commands outside MULTI are checked where they run.
            refuse(j, spec, Shard.OOM);
        } else if (shard.server.diskError() != null && (spec.isWrite() || spec.name().equals("ping"))) {
            // As Redis: while a log cannot be written, writes (and PING, so that a health check
            // notices) are refused on every shard; reads go on. The volatile read first: it is
            // all a command pays while the logs work.
            refuse(j, spec, shard.server.diskError());
        } else if (shard.server.busyShard != null && !allowedWhileBusy(spec, c)) {
            // A script runs past busy-reply-threshold. As in Redis, an EXEC refused so ends its
            // transaction with EXECABORT (a command queued meanwhile already failed it).
            if (spec == EXEC && tx.active) {
                abortExec(j, "EXECABORT Transaction discarded because of: " + ScriptRun.busyError(shard.server));
            } else {
                refuse(j, spec, ScriptRun.busyError(shard.server));
            }
        } else if (refusal != null) {
            refuse(j, spec, refusal);
        } else if (subscribedMode() && PubSubCommands.refusalWhenSubscribed(spec, c) != null) {
            refuse(j, spec, PubSubCommands.refusalWhenSubscribed(spec, c)); // as Redis: after auth and MISCONF
        } else if (spec == MULTI) {
            if (tx.active) {
                localError(j, "ERR MULTI calls can not be nested");
            } else {
                tx.begin(db);
                localReply(j, OK);
            }
        } else if (spec == EXEC) {
            exec(j, c);
        } else if (spec == DISCARD) {
            if (!tx.active) {
                localError(j, "ERR DISCARD without MULTI");
            } else {
                tx.end();
                unwatchAll();
                localReply(j, OK);
            }
        } else if (spec == WATCH) {
            if (tx.active) {
                localError(j, "ERR WATCH inside MULTI is not allowed");
            } else {
                watch(j, c);
            }
        } else if (tx.active && !spec.name().equals("quit") && !spec.name().equals("reset")) {
            String badSubcommand = Subcommands.refusal(spec, c);
            if (badSubcommand != null) {
                refuse(j, spec, badSubcommand);
            } else {
                tx.queue(spec, c, DbCommands.dbAfter(spec, c, tx.queuedDb, shard.dbs.count()));
                localReply(j, QUEUED);
            }
        } else if (spec.name().equals("reset")) {
            resetClient();
            localReply(j, RESET_REPLY);
            ownReply = 1; // answered even under CLIENT REPLY OFF, which it ends
        } else if (spec == UNWATCH) {
            unwatchAll();
            localReply(j, OK);
        } else if (PUBLISH[spec.ordinal()]) {
            publish(j, spec, c);
        } else if (SUBSCRIPTION[spec.ordinal()]) {
            subscription(j, spec, c);
        } else if (blocksHere(spec, c)) {
            int idx = startReplyNow(spec, c);
            BlockingCall.run(this, spec, c, local.reply);
            endReplyNow(j, idx);
        } else if (HeldRun.sortsByPatterns(shard, spec, c)) {
            int idx = startReplyNow(null, null);
            HeldRun.one(this, spec, c, db, local.reply);
            dropTxMessages();
            endReplyNow(j, idx);
        } else {
            switch (spec.routing()) {
                case SERVER -> {
                    int idx = startReplyNow(spec, c);
                    ServerCommands.execute(this, spec, c, local.reply);
                    endReplyNow(j, idx);
                }
                case KEY -> part(j, KeyHash.shardOf(c.arg(spec.firstKey()), shard.shards), spec, c);
                case KEYS_SUM, KEYS_ARRAY, KEYS_OK, KEYS_MSETNX, KEYS_ATOMIC -> keys(j, spec, c);
                case ALL_SUM, ALL_OK, ALL_ARRAY, ALL_RANDOM -> {
                    if (DbCommands.isAtomicFlush(shard, spec, c)) {
                        int idx = startReplyNow(spec, c);
                        DbCommands.flushEverywhere(this, spec, c, local.reply);
                        endReplyNow(j, idx);
                    } else {
                        all(j, spec, c);
                    }
                }
                case ALL_SCAN -> scan(j, spec, c);
                case SCRIPT -> script(j, spec, c);
            }
        }
        if (ownReply != 0 ? ownReply < 0 : quiet) {
            silent[j] = true;
            silenced = true;
        }
        if (respondAfterPlan) {
            respondAfterPlan = false;
            respond();
        }
    }

    /**
     * RESET: the connection as it was when it came, as Redis 7.0 leaves it: no transaction, no
     * watched key, replies on, no name, not authenticated when a password is required, no MONITOR,
     * no NO-EVICT.
     */
    void resetClient() {
        if (tx.active) {
            tx.end();
        }
        unwatchAll();
        replyOff = false;
        skipNextReply = false;
        name = "";
        protocol(2);
        db = 0;
        authenticated = shard.server.admin.config.requirePass() == null;
        client.reset(shard.server.admin);
        if (subscriber != null) {
            subscriber.unsubscribeAll();
        }
    }

    // ---------------------------------------------------------------- pub/sub

    /** This connection's pub/sub side, made on first use. */
    Subscriber subscriber() {
        if (subscriber == null) {
            subscriber = new Subscriber(this);
        }
        return subscriber;
    }

    /** PUBLISH inside MULTI, made on first use. */
    QueuedPublish queuedPublish() {
        if (queuedPublish == null) {
            queuedPublish = new QueuedPublish(this);
        }
        return queuedPublish;
    }

    /** This connection's pub/sub side, or null before its first pub/sub command. */
    Subscriber subscriberOrNull() {
        return subscriber;
    }

    /**
     * Whether the connection is in RESP2's subscribed mode, which refuses other commands and answers
     * PING with a frame. Redis has no such mode under RESP3, where a subscriber may send anything
     * (its outbox still owns the socket while it subscribes, see {@link Subscriber#ownsOutput}).
     */
    boolean subscribedMode() {
        return protocol == 2 && subscribed();
    }

    /** Whether the connection subscribes to something, in either protocol: a pubsub client for CLIENT LIST and the idle timeout. */
    boolean subscribed() {
        return subscriber != null && subscriber.subscribed();
    }

    /**
     * A (un)subscribe command, here and now: its frames go straight to the outbox, after what came
     * before (plan() answered it first), so no message that its registration lets in can overtake
     * its confirmation. Its reply in the pipeline is empty.
     */
    private void subscription(int j, CommandSpec spec, Command c) {
        int idx = startReplyNow(spec, c);
        Subscriber s = subscriber();
        s.frames.protocol(protocol);
        ServerCommands.execute(this, spec, c, s.frames);
        s.outbox.append(s.frames);
        s.frames.clear();
        endReplyNow(j, idx);
    }

    /**
     * PUBLISH or SPUBLISH: an entry in every shard's batch, each delivering to the subscribers it
     * serves; the reply is the sum. In a batch, it keeps this connection's order on every shard.
     */
    private void publish(int j, CommandSpec spec, Command c) {
        if (!shard.server.pubsubCounts.anyReceiver(c.arg(1), spec.name().equals("spublish"))) {
            localReply(j, NO_RECEIVER); // no shard has anyone to deliver to: spare them the round trip
            return;
        }
        if (shard.shards == 1) {
            at(j, shard.id, local.add(ShardBatch.PUBLISH, spec, c, null));
            return;
        }
        Fanout f = new Fanout(Routing.ALL_SUM, shard.shards);
        for (int s = 0; s < shard.shards; s++) {
            f.addPart(s, batches[s].add(ShardBatch.PUBLISH, spec, c, null));
        }
        fanouts[j] = f;
        scattered = true;
    }

    /** Writes to the socket, or, while the outbox owns it (subscribed), queues after its frames. */
    private void write(byte[] a, int off, int len) throws IOException {
        if (subscriber != null && subscriber.ownsOutput()) {
            subscriber.outbox.append(a, off, len);
            return;
        }
        // Chunk by chunk, so that the once-a-second check sees how much still waits for a slow reader.
        writePending = len;
        try {
            int done = 0;
            while (done < len) {
                done += stream.write(a, off + done, len - done);
                writePending = len - done;
            }
        } finally {
            writePending = 0;
        }
    }

    /**
     * The client-output-buffer-limit check of a pipeline's replies, {@code bytes} in all, before they
     * are written: past the hard limit of the client's class the client is closed without them, as
     * Redis closes it (the commands ran; what a shard did not run because the replies passed the
     * limit there, see {@link ShardBatch#stopAt}, never ran).
     *
     * @throws IOException to end the connection
     */
    private void checkOutputLimit(long bytes, boolean stopped) throws IOException {
        OutputLimits.Limit limit = shard.server.admin.config.outputLimits().of(this);
        if (stopped || limit.overHard(bytes)) {
            throw shard.server.outputLimitReached(this, "hard", bytes);
        }
    }

    /** The shards stop running this pipeline's commands once its replies there pass the hard limit. */
    private void armOutputLimit() {
        long stopAt = shard.server.admin.config.outputLimits().of(this).stopAt();
        for (ShardBatch b : batches) {
            b.stopAt = stopAt;
        }
    }

    /**
     * The once-a-second soft-limit check ({@link ShardClients}): whether this client has had more than
     * its class's soft limit waiting for longer than the limit's seconds. The first check that finds
     * it past the limit starts the clock; one that finds it below stops it, as in Redis.
     */
    boolean pastSoftLimit(OutputLimits limits, long nowMillis) {
        OutputLimits.Limit limit = limits.of(this);
        long pending = subscriber != null && subscriber.ownsOutput() ? subscriber.outbox.pendingBytes() : writePending;
        if (!limit.overSoft(pending)) {
            softLimitSinceMillis = 0;
            return false;
        }
        if (softLimitSinceMillis == 0) {
            softLimitSinceMillis = nowMillis;
            return false;
        }
        return nowMillis - softLimitSinceMillis > limit.softSeconds() * 1000L;
    }

    /** Bytes of replies waiting for this client now: the response being written, or what its pub/sub outbox holds. */
    long pendingOutput() {
        return subscriber != null && subscriber.ownsOutput() ? subscriber.outbox.pendingBytes() : writePending;
    }

    /** For each command of the table, by ordinal: whether {@code test} holds for it. */
    private static boolean[] marked(java.util.function.Predicate<CommandSpec> test) {
        boolean[] marks = new boolean[CommandTable.size()];
        for (CommandSpec spec : CommandTable.all()) {
            marks[spec.ordinal()] = test.test(spec);
        }
        return marks;
    }

    /**
     * Switches the connection's replies to RESP {@code version}: every writer its replies are
     * encoded in follows, the batches other shards execute included. Runs on the connection's task
     * while it plans a server command, when no batch of it is out (plan() answers what went to
     * other shards before a server command) and this shard's queued commands have run, so every
     * reply before the switch keeps the old protocol and every one after it gets the new.
     */
    void protocol(int version) {
        protocol = version;
        out.protocol(version);
        for (ShardBatch b : batches) {
            b.reply.protocol(version);
        }
    }

    /** Claims the next plan slot. */
    private int next() {
        if (planned == partShard.length) {
            int n = planned * 2;
            partShard = Arrays.copyOf(partShard, n);
            partIndex = Arrays.copyOf(partIndex, n);
            fanouts = Arrays.copyOf(fanouts, n);
            execs = Arrays.copyOf(execs, n);
            silent = Arrays.copyOf(silent, n);
        }
        fanouts[planned] = null;
        execs[planned] = null;
        silent[planned] = false;
        return planned++;
    }

    private void at(int j, int s, int idx) {
        partShard[j] = s;
        partIndex[j] = idx;
    }

    /** A command refused before it runs; inside MULTI it also dooms the transaction, as in Redis. */
    private void refuse(int j, CommandSpec spec, String text) {
        tx.failed |= tx.active;
        shard.stats.rejected(spec);
        localError(j, text);
    }

    private void localReply(int j, byte[] raw) {
        int idx = startReplyNow(null, null);
        local.reply.raw(raw);
        endReplyNow(j, idx);
    }

    private void localError(int j, String text) {
        shard.stats.error(text);
        int idx = startReplyNow(null, null);
        local.reply.error(text);
        endReplyNow(j, idx);
    }

    /**
     * Starts a reply made during planning, not by {@link #runLocal()}: runs this shard's queued
     * commands first, so the local batch's replies stay in request order. Returns its batch index.
     */
    private int startReplyNow(CommandSpec spec, Command c) {
        runLocal();
        return local.add(spec, c, db);
    }

    /** Ends the reply {@link #startReplyNow} started, as request {@code j}'s; runLocal() skips it. */
    private void endReplyNow(int j, int idx) {
        local.endReply(idx);
        localRun = local.count;
        at(j, shard.id, idx);
    }

    /** Runs {@code c} here if this shard owns it, else queues it for its owner; returns its index in the batch. */
    private int part(int j, int s, CommandSpec spec, Command c) {
        ShardBatch b = batches[s];
        int idx = b.add(spec, c, db);
        if (s != shard.id) {
            scattered = true;
        }
        // A command of this shard runs later (runLocal), after the other shards' batches went out,
        // so that they work meanwhile.
        if (j >= 0) {
            at(j, s, idx);
        }
        return idx;
    }

    /**
     * A command of several keys: runs unchanged on the shard that owns them all, else as a
     * cross-shard transaction ({@link CrossShard}), so that no client sees half of it.
     */
    private void keys(int j, CommandSpec spec, Command c) {
        int[] keys = spec.keyIndexes(c);
        if (keys == null || spec.hasPartialKeyStep(c)) {
            part(j, shard.id, spec, c); // malformed: the handler here answers the error
            return;
        }
        int owner = ownerOf(keys, c);
        if (owner < 0) {
            crossShard(j, java.util.List.of(spec), java.util.List.of(c), java.util.List.of(db), false);
        } else {
            part(j, owner, spec, c);
        }
    }

    /**
     * EVAL, FCALL...: runs on the shard that owns every key it declares (this one if none), in one
     * go, as a batch entry like any command (see {@link ScriptRun}). Declared keys on several
     * shards are refused: a script's commands are only known as it runs.
     */
    private void script(int j, CommandSpec spec, Command c) {
        int[] keys = spec.keyIndexes(c);
        if (keys == null) {
            part(j, shard.id, spec, c); // malformed numkeys: the engine answers the error
            return;
        }
        int owner = ownerOf(keys, c);
        if (owner < 0) {
            refuse(j, spec, "CROSSSLOT Keys in request don't hash to the same slot");
        } else {
            part(j, owner, spec, c);
        }
    }

    /** The commands Redis runs while a script is busy: those flagged allow_busy, SCRIPT KILL, FUNCTION KILL and STATS. */
    private static boolean allowedWhileBusy(CommandSpec spec, Command c) {
        if (spec.flags().contains("allow_busy")) {
            return true;
        }
        if ((spec.name().equals("script") || spec.name().equals("function")) && c.argCount() >= 2) {
            String sub = ServerCommands.text(c, 1).toLowerCase(java.util.Locale.ROOT);
            return sub.equals("kill") || (spec.name().equals("function") && sub.equals("stats"));
        }
        return false;
    }

    /** The shard that owns every key of {@code c} at {@code keys} (this one if none), or -1 if they are spread. */
    private int ownerOf(int[] keys, Command c) {
        int owner = keys.length == 0 ? shard.id : KeyHash.shardOf(c.arg(keys[0]), shard.shards);
        for (int k = 1; k < keys.length; k++) {
            if (KeyHash.shardOf(c.arg(keys[k]), shard.shards) != owner) {
                return -1;
            }
        }
        return owner;
    }

    // ---------------------------------------------------------------- transactions

    /**
     * EXEC: the queued commands go, as one block, to the shard that owns all their keys, which
     * runs them in one go (see {@link Shard#executeTransaction}); connection commands among them
     * run while the reply is written ({@link ExecReply}). Keys on several shards make it a
     * cross-shard transaction ({@link CrossShard}); on several shards, a whole-keyspace command,
     * SWAPDB or a SORT with patterns make it run while the connection holds every shard ({@link HeldRun}).
     */
    /** Ends the transaction without running it, EXEC answering {@code error}; EXEC counts as refused. */
    private void abortExec(int j, String error) {
        tx.end();
        unwatchAll();
        shard.stats.rejected(EXEC);
        localError(j, error);
    }

    private void exec(int j, Command c) {
        if (!tx.active) {
            localError(j, "ERR EXEC without MULTI");
            return;
        }
        if (tx.specs.stream().anyMatch(CommandSpec::isDenyOom) && shard.server.memoryFull()) {
            abortExec(j, "EXECABORT Transaction discarded because of: " + Shard.OOM);
            return;
        }
        if (tx.failed) {
            tx.end();
            unwatchAll();
            localError(j, "EXECABORT Transaction discarded because of previous errors.");
            return;
        }
        int n = tx.specs.size();
        if (HeldRun.needed(shard, tx.specs, tx.commands)) {
            int idx = startReplyNow(null, null);
            HeldRun.exec(this, new java.util.ArrayList<>(tx.specs), new java.util.ArrayList<>(tx.commands),
                    new java.util.ArrayList<>(tx.dbs), tx.watch, local.reply);
            dropTxMessages();
            endReplyNow(j, idx);
            tx.end();
            unwatchAll();
            return;
        }
        int target = -1;
        int writes = 0;
        int keyspaceCommands = 0;
        boolean spread = false;
        for (int k = 0; k < n && !spread; k++) {
            CommandSpec spec = tx.specs.get(k);
            Command q = tx.commands.get(k);
            if (spec.isWrite()) {
                writes++;
            } else if (spec.routing() == Routing.SCRIPT) {
                writes += 2; // it may write several records: the block goes between MULTI and EXEC
            }
            if (spec.routing() == Routing.SERVER) {
                keyspaceCommands += DbCommands.isSwapDb(spec) ? 1 : 0; // runs in the block: see below
                continue;
            }
            keyspaceCommands++;
            if (spec.routing().isWholeKeyspace()) {
                continue; // one shard: HeldRun takes them on several
            }
            int[] keys = spec.keyIndexes(q);
            if (keys == null) {
                continue; // malformed: runs anywhere, its handler answers the error
            }
            for (int key : keys) {
                int s = KeyHash.shardOf(q.arg(key), shard.shards);
                if (target < 0) {
                    target = s;
                } else if (target != s) {
                    spread = true;
                }
            }
        }
        // A HELLO among the commands changes the protocol of the replies after it: CrossShard runs
        // the queue in order here and follows (a shard's block runs in one protocol).
        spread |= CrossShard.switchesProtocol(tx.specs);
        if (spread) {
            crossShard(j, new java.util.ArrayList<>(tx.specs), new java.util.ArrayList<>(tx.commands),
                    new java.util.ArrayList<>(tx.dbs), true);
            tx.end();
            unwatchAll();
            return;
        }
        if (target < 0) {
            target = shard.id;
        }
        ShardBatch b = batches[target];
        int begin = b.add(ShardBatch.EXEC, null, c, new TxBlock(keyspaceCommands, writes, tx.watch), db);
        ExecReply e = new ExecReply(target, begin, n, db);
        for (int k = 0; k < n; k++) {
            CommandSpec spec = tx.specs.get(k);
            if (spec.routing() == Routing.SERVER && !DbCommands.isSwapDb(spec)) {
                e.server(k, spec, tx.commands.get(k));
            } else {
                e.entry(k, b.add(spec, tx.commands.get(k), tx.dbs.get(k)));
            }
        }
        if (tx.queuedDb != db) {
            // The SELECTs of the block run while the reply is written; what comes after the EXEC
            // is planned in the database they leave. A watch may abort the block, and the SELECTs
            // with it: then the reply must come first, to know where the next request runs.
            respondAfterPlan = tx.watch != null;
            db = tx.queuedDb;
        }
        at(j, target, begin);
        execs[j] = e;
        scattered = true; // the reply is assembled, not the batch's buffer as it is
        tx.end();
        unwatchAll();
    }

    /** WATCH: each shard registers its keys; the reply is made here. */
    private void watch(int j, Command c) {
        @SuppressWarnings("unchecked")
        java.util.List<byte[]>[] perShard = new java.util.List[shard.shards];
        WatchState w = null;
        for (int i = 1; i < c.argCount(); i++) {
            int s = KeyHash.shardOf(c.arg(i), shard.shards);
            w = tx.watch(s, c.arg(i), db);
            if (perShard[s] == null) {
                perShard[s] = new java.util.ArrayList<>();
            }
            perShard[s].add(c.arg(i));
        }
        for (int s = 0; s < perShard.length; s++) {
            if (perShard[s] != null) {
                watchEntry(s, ShardBatch.WATCH, perShard[s], w, db);
            }
        }
        localReply(j, OK);
    }

    /** Ends every watch of this connection: each shard forgets its keys (UNWATCH, EXEC, DISCARD). */
    private void unwatchAll() {
        if (!tx.watching()) {
            return;
        }
        for (int s = 0; s < tx.watched.length; s++) {
            if (tx.watched[s] != null) {
                // One entry per database the keys were watched in (a connection may SELECT between WATCHes).
                java.util.List<byte[]> keys = tx.watched[s];
                java.util.List<Integer> keyDbs = tx.watchedDbs[s];
                java.util.BitSet seen = new java.util.BitSet();
                for (int i = 0; i < keys.size(); i++) {
                    int d = keyDbs.get(i);
                    if (seen.get(d)) {
                        continue;
                    }
                    seen.set(d);
                    java.util.List<byte[]> ofDb = new java.util.ArrayList<>();
                    for (int k = i; k < keys.size(); k++) {
                        if (keyDbs.get(k) == d) {
                            ofDb.add(keys.get(k));
                        }
                    }
                    watchEntry(s, ShardBatch.UNWATCH, ofDb, tx.watch, d);
                }
                tx.watched[s] = null;
                tx.watchedDbs[s] = null;
            }
        }
        tx.watch = null;
    }

    private void watchEntry(int s, byte kind, java.util.List<byte[]> keys, WatchState w, int keysDb) {
        byte[][] args = new byte[keys.size() + 1][];
        args[0] = kind == ShardBatch.WATCH ? WATCH.nameBytes() : UNWATCH.nameBytes();
        for (int k = 0; k < keys.size(); k++) {
            args[k + 1] = keys.get(k);
        }
        batches[s].add(kind, null, Command.of(args), new TxBlock(0, 0, w), keysDb);
        if (s != shard.id) {
            scattered = true;
        }
    }

    /**
     * At the end of the connection: the shards forget its watches, so that their registries do
     * not keep it. Sends what is left and waits for it, without replying to anyone.
     */
    private void unwatchOnClose() {
        if (!tx.watching() || held || planned != 0) {
            return; // planned: a pipeline was cut short, its batches may still be out; leave them
        }
        try {
            reset();
            unwatchAll();
            int sent = 0;
            for (int s = 0; s < batches.length; s++) {
                if (s != shard.id && batches[s].count > 0) {
                    shard.send(s, batches[s]);
                    sent++;
                }
            }
            local.executeOn(shard, 0);
            if (sent > 0) {
                arrived.acquire(sent);
            }
            reset();
        } catch (RuntimeException e) {
            // the shard is stopping: its registry goes with it
        }
    }

    /**
     * Runs a command (or EXEC's queue) whose keys span shards as a cross-shard transaction, here and
     * now: plan() answered everything before it first (see {@link #needsCrossShard}).
     */
    private void crossShard(int j, java.util.List<CommandSpec> specs, java.util.List<Command> cmds,
                            java.util.List<Integer> cmdDbs, boolean exec) {
        if (!exec && specs.get(0).isDenyOom() && shard.server.memoryFull()) {
            refuse(j, specs.get(0), Shard.OOM); // no shard can evict for it here: refused as Redis does when full
            return;
        }
        int idx = startReplyNow(null, null);
        CrossShard.run(this, specs, cmds, cmdDbs, exec, exec ? tx.watch : null, local.reply);
        dropTxMessages();
        endReplyNow(j, idx);
    }

    /** Empties the other shards' batches after a transaction used them (plan answered them before it). */
    private void dropTxMessages() {
        for (int s = 0; s < batches.length; s++) {
            if (s != shard.id) {
                batches[s].clear();
            }
        }
    }

    /**
     * Whether {@code c} is a blocking pop that runs as one ({@link BlockingCall}): outside MULTI,
     * and not refused. plan() first answers the requests before it, which it must see and which
     * must not wait behind it.
     */
    private boolean blocksHere(CommandSpec spec, Command c) {
        return spec != null && BLOCKING[spec.ordinal()] && !tx.active && spec.acceptsArgCount(c.argCount())
                && authenticated && client.monitor == null;
    }

    /** Runs {@code c} as a cross-shard transaction into {@code out}, for {@link BlockingCall}'s moves. */
    void runCrossShard(CommandSpec spec, Command c, RespWriter out) {
        CrossShard.run(this, java.util.List.of(spec), java.util.List.of(c), java.util.List.of(db), false, null, out);
        for (int s = 0; s < batches.length; s++) {
            if (s != shard.id) {
                batches[s].clear(); // drop the transaction's messages, as crossShard() does
            }
        }
    }

    /**
     * Whether {@code c} will run as a cross-shard transaction; plan() then first answers the
     * requests before it, so that its batches are free and it sees their writes.
     */
    private boolean needsCrossShard(CommandSpec spec, Command c) {
        if (shard.shards == 1 || spec == null || !spec.acceptsArgCount(c.argCount())) {
            return false;
        }
        if (spec == EXEC) {
            return tx.active && !tx.failed; // EXEC decides later; flushing first is harmless
        }
        if (tx.active) {
            return false; // queued
        }
        if (DbCommands.isAtomicFlush(shard, spec, c) || HeldRun.sortsByPatterns(shard, spec, c)) {
            return true; // it holds every shard: what came before is answered first
        }
        Routing r = spec.routing();
        if (r == Routing.SERVER || r == Routing.KEY || r.isWholeKeyspace()) {
            return false;
        }
        int[] keys = spec.keyIndexes(c);
        return keys != null && ownerOf(keys, c) < 0;
    }

    /** Sends a cross-shard transaction's message to shard {@code s} in its batch; returns 1 (a reply to wait for). */
    int sendTx(int s, TxPart p) {
        ShardBatch b = batches[s];
        b.clear();
        b.txPart = p;
        shard.send(s, b);
        return 1;
    }

    /** Waits for {@code n} replies to {@link #sendTx}. */
    void awaitTxReplies(int n) {
        if (n > 0) {
            arrived.acquire(n);
        }
    }

    /** A command every shard runs as it is (DBSIZE, FLUSHALL, KEYS, RANDOMKEY). */
    private void all(int j, CommandSpec spec, Command c) {
        if (shard.shards == 1) {
            part(j, shard.id, spec, c);
            return;
        }
        Fanout f = new Fanout(spec.routing(), shard.shards);
        for (int s = 0; s < shard.shards; s++) {
            f.addPart(s, part(-1, s, spec, c));
        }
        fanouts[j] = f;
        scattered = true;
    }

    /** SCAN: the cursor names a shard and that shard's own cursor; see {@link Fanout}. */
    private void scan(int j, CommandSpec spec, Command c) {
        long cursor;
        try {
            cursor = Cursors.parse(c.arg(1)); // as strtoul: "-1", "+5" and "" are cursors too
        } catch (NumberFormatException e) {
            localError(j, "ERR invalid cursor");
            return;
        }
        int n = shard.shards;
        int s = (int) Long.remainderUnsigned(cursor, n);
        Fanout f = new Fanout(Routing.ALL_SCAN, 1);
        f.scanShards = n;
        f.scanShard = s;
        f.addPart(s, part(-1, s, spec, Fanout.scanOnShard(c, cursor, n)));
        fanouts[j] = f;
        scattered = true;
    }

    /**
     * Executes this shard's queued commands of the pipeline, in order. Called before anything else
     * is added to the local batch (its replies must stay in request order) and by {@link #respond()}
     * after the other shards' batches went out, so that they work while this shard does.
     */
    private void runLocal() {
        while (true) {
            localToken = Math.max(localToken, local.executeOn(shard, localRun));
            if (local.blockedAt < 0) {
                break;
            }
            localRun = local.blockedAt;
            shard.txs.awaitRelease(); // a transaction holds a key of the next command
        }
        localRun = local.count;
    }

    /** Waits until this shard's writes of the pipeline are durable; answers them with the log's error if not. */
    private void awaitLocalWrites() {
        if (localToken != 0 && !shard.log.awaitDurable(localToken)) {
            local.failWrites(shard.log.writeError());
        }
    }

    // ---------------------------------------------------------------- replying

    /** Sends the remote batches, waits for durability and replies, writes every reply in order. */
    private void respond() throws IOException {
        if (planned == 0) {
            return;
        }
        boolean inFlight = false;
        armOutputLimit();
        try {
            if (!scattered && !silenced) {
                runLocal();
                checkOutputLimit(local.reply.size(), local.overLimit);
                // Under no/everysec (and always), hold the replies and let the log send them once the
                // writes are durable: this task goes back to reading instead of parking and waking
                // again. Only for a reply the log's task can send without parking on a slow client.
                if (localToken != 0 && (subscriber == null || !subscriber.ownsOutput())
                        && stream.canWriteWithoutParking(local.reply.size())
                        && shard.log.whenDurable(localToken, sendHeld)) {
                    held = true;
                    inFlight = true; // sendHeld resets
                    return;
                }
                awaitLocalWrites();
                write(local.reply.array(), 0, local.reply.size());
                return;
            }
            int sent = 0;
            for (int s = 0; s < batches.length; s++) {
                if (s != shard.id && batches[s].count > 0) {
                    inFlight = true;
                    shard.send(s, batches[s]);
                    sent++;
                }
            }
            runLocal();
            awaitLocalWrites();
            if (sent > 0) {
                arrived.acquire(sent);
            }
            inFlight = false;
            long replies = 0;
            boolean stopped = false;
            for (ShardBatch b : batches) {
                replies += b.reply.size();
                stopped |= b.overLimit;
            }
            checkOutputLimit(replies, stopped);
            for (int j = 0; j < planned; j++) {
                Fanout f = fanouts[j];
                ExecReply e = execs[j];
                if (e != null) {
                    int mark = out.size();
                    e.merge(this, batches, out);
                    execs[j] = null;
                    if (silent[j]) {
                        out.truncate(mark);
                    }
                } else if (f != null) {
                    int mark = out.size();
                    f.merge(batches, out);
                    fanouts[j] = null;
                    if (silent[j]) {
                        out.truncate(mark);
                    }
                } else if (!silent[j]) {
                    ShardBatch b = batches[partShard[j]];
                    int start = b.replyStart(partIndex[j]);
                    out.raw(b.reply.array(), start, b.replyEnd(partIndex[j]) - start);
                }
            }
            write(out.array(), 0, out.size());
        } finally {
            // Cancelled while another shard works on a batch: leave it to that shard, this
            // connection is ending anyway.
            if (!inFlight) {
                reset();
            }
        }
    }

    /** Forgets the pipeline that was answered. */
    private void reset() {
        for (ShardBatch b : batches) {
            b.clear();
        }
        out.clear();
        planned = 0;
        scattered = false;
        silenced = false;
        localToken = 0;
        localRun = 0;
    }
}
