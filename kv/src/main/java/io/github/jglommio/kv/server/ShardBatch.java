package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.util.Arrays;

/**
 * The commands one connection sends to one shard in one pipeline batch, and the shard's replies:
 * the message that travels over the request mesh to the owning shard and back over the reply mesh.
 *
 * <p>Each connection owns one batch per shard and reuses it: it has at most one batch in flight per
 * shard (it waits for every reply before it reads again), so no batch is allocated per request. The
 * batch for the connection's own shard is executed in place and never travels.
 *
 * <p>Threading: the origin connection's task fills {@link #add}, then hands the batch over by sending
 * it (the channel orders everything written before the send before the receiver's reads); the owning
 * shard's request task executes it and sends it back; the origin reads the replies after the reply
 * arrives. Never two threads at once.
 */
final class ShardBatch {

    /** The shard of the connection that sent the batch, where the replies go. */
    final int origin;
    /** The connection waiting for the replies. */
    final Connection owner;
    final RespWriter reply = new RespWriter(4096);
    Command[] commands = new Command[16];
    CommandSpec[] specs = new CommandSpec[16];
    /** End offset in {@link #reply} of the reply to each command. */
    int[] replyEnds = new int[16];
    /** The log token of each command's record, 0 when it logged nothing (a read). */
    long[] tokens = new long[16];
    /** What each entry is: {@link #COMMAND}, {@link #WATCH}, {@link #UNWATCH}, {@link #EXEC} or {@link #PUBLISH}. */
    byte[] kinds = new byte[16];
    /** The database each entry runs in (the connection's SELECT when it was planned). */
    int[] dbs = new int[16];
    /** For an {@link #EXEC} entry, the transaction it starts; else null. */
    TxBlock[] blocks = new TxBlock[16];
    int count;
    /** The next batch of the same mesh message (see {@link Shard}), or null. */
    ShardBatch next;
    /** A cross-shard transaction's message instead of commands (see {@link CrossShard}), or null. */
    TxPart txPart;
    /**
     * Set by {@link #executeOn} when it stopped at this entry because a transaction holds one of
     * its keys: run again from here after a release. -1 when it ran to the end.
     */
    int blockedAt = -1;

    /** A keyspace command. */
    static final byte COMMAND = 0;
    /** WATCH of the command's arguments 1..n (this shard's keys) for the block's {@link WatchState}. */
    static final byte WATCH = 1;
    /** The block's {@link WatchState} no longer watches the command's arguments 1..n. */
    static final byte UNWATCH = 2;
    /**
     * The start of a transaction: the next {@link TxBlock#count} entries are its commands, run
     * together; its own reply is empty, or a null array when a watched key changed (the commands
     * then do not run and their replies are empty).
     */
    static final byte EXEC = 3;
    /** PUBLISH or SPUBLISH: delivered to this shard's subscribers; the reply is the number reached here. */
    static final byte PUBLISH = 4;

    ShardBatch(int origin, Connection owner) {
        this.origin = origin;
        this.owner = owner;
    }

    /** Queues {@code c}, to run in database {@code db}; returns its index in the batch. */
    int add(CommandSpec spec, Command c, int db) {
        return add(COMMAND, spec, c, null, db);
    }

    /** Queues an entry of {@code kind} that no database concerns (PUBLISH); returns its index in the batch. */
    int add(byte kind, CommandSpec spec, Command c, TxBlock block) {
        return add(kind, spec, c, block, 0);
    }

    /** Queues an entry of {@code kind} in database {@code db}; returns its index in the batch. */
    int add(byte kind, CommandSpec spec, Command c, TxBlock block, int db) {
        if (count == commands.length) {
            commands = Arrays.copyOf(commands, count * 2);
            specs = Arrays.copyOf(specs, count * 2);
            replyEnds = Arrays.copyOf(replyEnds, count * 2);
            tokens = Arrays.copyOf(tokens, count * 2);
            kinds = Arrays.copyOf(kinds, count * 2);
            blocks = Arrays.copyOf(blocks, count * 2);
            dbs = Arrays.copyOf(dbs, count * 2);
        }
        dbs[count] = db;
        commands[count] = c;
        specs[count] = spec;
        kinds[count] = kind;
        blocks[count] = block;
        return count++;
    }

    /** Records that the reply to command {@code index} ends where {@link #reply} ends now. */
    void endReply(int index) {
        replyEnds[index] = reply.size();
    }

    /**
     * Executes commands {@code from} to {@link #count} on {@code shard}, in order, replies into
     * {@link #reply}; returns the highest log token of those (0: nothing to wait for).
     */
    long executeOn(Shard shard, int from) {
        shard.executing = owner;
        long token = 0;
        blockedAt = -1;
        for (int i = from; i < count; i++) {
            if (shard.txs.anyActive() && blockedByTransaction(shard, i)) {
                blockedAt = i;
                return token;
            }
            long t;
            switch (kinds[i]) {
                case WATCH -> {
                    shard.watch(commands[i], blocks[i].watch(), dbs[i]);
                    t = 0;
                }
                case UNWATCH -> {
                    shard.unwatch(commands[i], blocks[i].watch(), dbs[i]);
                    t = 0;
                }
                case EXEC -> {
                    // The block runs here, in one go: nothing else runs on this shard in between.
                    t = shard.executeTransaction(this, i);
                    i += blocks[i].count();
                }
                case PUBLISH -> {
                    long started = System.nanoTime();
                    int mark = reply.size();
                    shard.pubsub.publish(specs[i], commands[i], reply);
                    shard.stats.ran(specs[i], commands[i], started, reply, mark, owner);
                    t = 0;
                }
                default -> t = shard.execute(specs[i], commands[i], reply, dbs[i]);
            }
            tokens[i] = Math.max(tokens[i], t);
            token = Math.max(token, t);
            endReply(i);
        }
        return token;
    }

    /** @return the highest log token of every entry executed so far (0: nothing to wait for) */
    long maxToken() {
        long token = 0;
        for (int i = 0; i < count; i++) {
            token = Math.max(token, tokens[i]);
        }
        return token;
    }

    /** Whether entry {@code i} (a command, or a whole EXEC block) touches a key a transaction holds. */
    private boolean blockedByTransaction(Shard shard, int i) {
        return switch (kinds[i]) {
            case COMMAND -> shard.txs.blocks(specs[i], commands[i], owner);
            case EXEC -> {
                for (int k = 1; k <= blocks[i].count(); k++) {
                    if (shard.txs.blocks(specs[i + k], commands[i + k], owner)) {
                        yield true;
                    }
                }
                yield false;
            }
            default -> false;
        };
    }

    /**
     * The log could not make these writes durable: each command that logged a record is answered with
     * {@code error} instead (it changed the keyspace, but is not acknowledged: its outcome is unknown
     * to the client, as after a timeout); the replies of the reads stay.
     */
    void failWrites(String error) {
        if (txPart != null) {
            int k = txPart.kind;
            if (k == TxPart.INSTALL || k == TxPart.PUT || k == TxPart.SWAP || k == TxPart.FLUSH) {
                txPart.writeError = error;
            }
            return;
        }
        byte[] old = Arrays.copyOf(reply.array(), reply.size());
        reply.clear();
        int oldStart = 0;
        for (int i = 0; i < count; i++) {
            int oldEnd = replyEnds[i];
            if (tokens[i] != 0) {
                reply.error(error);
            } else {
                reply.raw(old, oldStart, oldEnd - oldStart);
            }
            replyEnds[i] = reply.size();
            oldStart = oldEnd;
        }
    }

    int replyStart(int index) {
        return index == 0 ? 0 : replyEnds[index - 1];
    }

    int replyEnd(int index) {
        return replyEnds[index];
    }

    /** Empties the batch for the next pipeline; drops the command references. */
    void clear() {
        Arrays.fill(commands, 0, count, null);
        Arrays.fill(specs, 0, count, null);
        Arrays.fill(tokens, 0, count, 0);
        Arrays.fill(kinds, 0, count, COMMAND);
        Arrays.fill(blocks, 0, count, null);
        count = 0;
        txPart = null;
        blockedAt = -1;
        reply.clear();
    }
}
