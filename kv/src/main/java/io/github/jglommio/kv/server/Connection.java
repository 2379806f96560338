package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
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
 * local batch's reply buffer is the response and is written without a copy.
 *
 * <p>Threading: the connection's task, plus {@link #replyArrived} from the shard's reply task (same
 * executor).
 */
final class Connection {

    private static final int READ_BUFFER = 16 << 10;
    private static final byte[] NOAUTH = "-NOAUTH Authentication required.\r\n".getBytes(StandardCharsets.US_ASCII);

    final Shard shard;
    final TcpStream stream;
    final long id;
    final long createdMillis = System.currentTimeMillis();
    private final RespParser parser;
    private final byte[] in = new byte[READ_BUFFER];
    private final RespWriter out = new RespWriter(READ_BUFFER);
    private final ShardBatch[] batches;
    private final ShardBatch local;
    private final Semaphore arrived = new Semaphore(0);

    // The plan of the pipeline being served: for request j, where its reply is.
    private int[] partShard = new int[64];
    private int[] partIndex = new int[64];
    private Fanout[] fanouts = new Fanout[64];
    /** For request j: its reply is dropped (CLIENT REPLY OFF or SKIP). */
    private boolean[] silent = new boolean[64];
    /** True once a reply of this pipeline is dropped: respond() then copies replies one by one. */
    private boolean silenced;
    private int planned;
    /** True once a part of this pipeline went to another shard or was split. */
    private boolean scattered;
    private long localToken;
    /** Index in {@link #local} of the first command of this shard's not yet executed; see {@link #runLocal()}. */
    private int localRun;

    /** The last {@link CompletionBatchTuner} window this connection was counted active in. */
    int activeWindow = -1;
    boolean authenticated;
    String name = "";
    long commands;
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
        KvConfig config = shard.server.config;
        this.parser = new RespParser((int) Math.min(Integer.MAX_VALUE, config.protoMaxBulkLen()),
                RespParser.DEFAULT_MAX_MULTIBULK_LENGTH);
        this.authenticated = config.requirePass() == null;
        this.batches = new ShardBatch[shard.shards];
        for (int s = 0; s < batches.length; s++) {
            batches[s] = new ShardBatch(shard.id, this);
        }
        this.local = batches[shard.id];
    }

    /** Serves the connection until the client leaves, QUIT, a protocol error or a closed socket. */
    void serve() throws IOException {
        while (!quit) {
            int n = stream.read(in, 0, in.length);
            if (n < 0) {
                return;
            }
            if (shard.batchTuner != null) {
                shard.batchTuner.active(this);
            }
            ProtocolException failure = null;
            int from = 0;
            while (from < n && !quit) {
                Command c;
                try {
                    c = parser.next(in, from, n);
                } catch (ProtocolException e) {
                    failure = e;
                    break;
                }
                from += parser.consumed();
                if (c == null) {
                    break;
                }
                plan(c);
            }
            respond();
            if (failure != null) {
                // Redis answers what came before, then the error, then closes the connection.
                stream.writeAll(("-" + failure.getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8));
                return;
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
        if (scattered && spec != null && spec.routing() == Routing.SERVER) {
            // A server command (INFO, CLIENT LIST, ...) must see every write before it, some of
            // which wait in other shards' batches: answer what came before it first.
            respond();
        }
        int j = next();
        commands++;
        boolean quiet = replyOff || skipNextReply;
        skipNextReply = false;
        ownReply = 0;
        if (spec == null) {
            localError(j, CommandTable.unknownCommandError(c));
        } else if (!authenticated && !spec.name().equals("auth") && !spec.name().equals("quit")
                && !spec.name().equals("hello")) {
            int idx = startReplyNow(null, null);
            local.reply.raw(NOAUTH);
            endReplyNow(j, idx);
        } else if (!spec.acceptsArgCount(c.argCount())) {
            localError(j, spec.arityError());
        } else if (shard.server.diskError() != null && (spec.isWrite() || spec.name().equals("ping"))) {
            // As Redis: while a log cannot be written, writes (and PING, so that a health check
            // notices) are refused on every shard; reads go on. The volatile read first: it is
            // all a command pays while the logs work.
            localError(j, shard.server.diskError());
        } else {
            switch (spec.routing()) {
                case SERVER -> {
                    int idx = startReplyNow(spec, c);
                    ServerCommands.execute(this, spec, c, local.reply);
                    endReplyNow(j, idx);
                }
                case KEY -> part(j, KeyHash.shardOf(c.arg(spec.firstKey()), shard.shards), spec, c);
                case KEYS_SUM, KEYS_ARRAY, KEYS_OK, KEYS_MSETNX -> keys(j, spec, c);
                case KEYS_ATOMIC -> atomic(j, spec, c);
                case ALL_SUM, ALL_OK, ALL_ARRAY, ALL_RANDOM -> all(j, spec, c);
                case ALL_SCAN -> scan(j, spec, c);
            }
        }
        if (ownReply != 0 ? ownReply < 0 : quiet) {
            silent[j] = true;
            silenced = true;
        }
    }

    /** Claims the next plan slot. */
    private int next() {
        if (planned == partShard.length) {
            int n = planned * 2;
            partShard = Arrays.copyOf(partShard, n);
            partIndex = Arrays.copyOf(partIndex, n);
            fanouts = Arrays.copyOf(fanouts, n);
            silent = Arrays.copyOf(silent, n);
        }
        fanouts[planned] = null;
        silent[planned] = false;
        return planned++;
    }

    private void at(int j, int s, int idx) {
        partShard[j] = s;
        partIndex[j] = idx;
    }

    private void localError(int j, String text) {
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
        return local.add(spec, c);
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
        int idx = b.add(spec, c);
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

    /** A multi-key command: one part per owning shard, each with only its keys (and values). */
    private void keys(int j, CommandSpec spec, Command c) {
        int first = spec.firstKey();
        int last = spec.lastKey() < 0 ? c.argCount() + spec.lastKey() : spec.lastKey();
        int step = Math.max(1, spec.keyStep());
        if ((c.argCount() - first) % step != 0) {
            localError(j, spec.arityError()); // MSET k v k: a key without its value, as Redis answers
            return;
        }
        int nShards = shard.shards;
        int keys = (last - first) / step + 1;
        int[] keyShard = new int[keys];
        int[] perShard = new int[nShards];
        int owner = -1;
        boolean one = true;
        for (int k = 0; k < keys; k++) {
            int s = KeyHash.shardOf(c.arg(first + k * step), nShards);
            keyShard[k] = s;
            perShard[s]++;
            if (owner < 0) {
                owner = s;
            } else if (owner != s) {
                one = false;
            }
        }
        if (one) {
            part(j, owner, spec, c);
            return;
        }
        if (spec.routing() == Routing.KEYS_MSETNX) {
            localError(j, "CROSSSLOT Keys in request don't hash to the same slot");
            return;
        }
        Fanout f = new Fanout(spec.routing(), nShards);
        int[] partOfShard = new int[nShards];
        for (int s = 0; s < nShards; s++) {
            if (perShard[s] == 0) {
                continue;
            }
            byte[][] args = new byte[first + perShard[s] * step][];
            System.arraycopy(c.args(), 0, args, 0, first);
            int a = first;
            for (int k = 0; k < keys; k++) {
                if (keyShard[k] == s) {
                    System.arraycopy(c.args(), first + k * step, args, a, step);
                    a += step;
                }
            }
            partOfShard[s] = f.addPart(s, part(-1, s, spec, Command.of(args)));
        }
        if (spec.routing() == Routing.KEYS_ARRAY) {
            f.keyPart = new int[keys];
            for (int k = 0; k < keys; k++) {
                f.keyPart[k] = partOfShard[keyShard[k]];
            }
        }
        fanouts[j] = f;
        scattered = true;
    }

    /** A command whose keys must be changed together: runs whole on the shard that owns them all. */
    private void atomic(int j, CommandSpec spec, Command c) {
        int[] keys = spec.keyIndexes(c);
        if (keys == null) {
            part(j, shard.id, spec, c); // malformed: the handler here answers the error
            return;
        }
        int owner = keys.length == 0 ? shard.id : KeyHash.shardOf(c.arg(keys[0]), shard.shards);
        for (int k = 1; k < keys.length; k++) {
            if (KeyHash.shardOf(c.arg(keys[k]), shard.shards) != owner) {
                localError(j, "CROSSSLOT Keys in request don't hash to the same slot");
                return;
            }
        }
        part(j, owner, spec, c);
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
            cursor = Long.parseUnsignedLong(new String(c.arg(1), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            localError(j, "ERR invalid cursor");
            return;
        }
        int n = shard.shards;
        int s = (int) Long.remainderUnsigned(cursor, n);
        long shardCursor = Long.divideUnsigned(cursor, n);
        byte[][] args = c.args().clone();
        args[1] = Long.toUnsignedString(shardCursor).getBytes(StandardCharsets.US_ASCII);
        Fanout f = new Fanout(Routing.ALL_SCAN, 1);
        f.scanShards = n;
        f.scanShard = s;
        f.addPart(s, part(-1, s, spec, Command.of(args)));
        fanouts[j] = f;
        scattered = true;
    }

    /**
     * Executes this shard's queued commands of the pipeline, in order. Called before anything else
     * is added to the local batch (its replies must stay in request order) and by {@link #respond()}
     * after the other shards' batches went out, so that they work while this shard does.
     */
    private void runLocal() {
        localToken = Math.max(localToken, local.executeOn(shard, localRun));
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
        try {
            if (!scattered && !silenced) {
                runLocal();
                awaitLocalWrites();
                stream.writeAll(local.reply.array(), 0, local.reply.size());
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
            for (int j = 0; j < planned; j++) {
                Fanout f = fanouts[j];
                if (f != null) {
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
            stream.writeAll(out.array(), 0, out.size());
        } finally {
            // Cancelled while another shard works on a batch: leave it to that shard, this
            // connection is ending anyway.
            if (!inFlight) {
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
    }
}
