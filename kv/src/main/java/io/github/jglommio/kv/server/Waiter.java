package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.BlockingPops;
import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.sync.Semaphore;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client blocked in a blocking pop (see {@link BlockingCall}): the command, the keys it waits
 * on and the shard of each, and the one claim that decides how it ends. It sits in the
 * {@link WaitQueues} of every shard that owns one of its keys; whoever moves the claim away from
 * {@link #WAITING} first (a shard that pops for it, the timeout, CLIENT UNBLOCK, a disconnect) is
 * the only one to answer it, and then wakes the owner; the others find it claimed and drop it.
 *
 * <p>Threading: the claim is a CAS, shared by the shards' threads. The serving shard writes
 * {@link #reply} before it wakes the owner, and the wake travels through the owner executor's
 * inbox (or runs on that executor), which orders the write before the owner's read.
 * {@link #awaitWake} and {@link #wake} run on the owner's executor only.
 */
final class Waiter {
    /** Still waiting: nobody has claimed it. */
    static final int WAITING = 0;
    /** A shard popped for it; {@link #reply} is the answer. */
    static final int SERVED = 1;
    /** The timeout expired, or CLIENT UNBLOCK ... TIMEOUT: the null reply. */
    static final int TIMED_OUT = 2;
    /** CLIENT UNBLOCK ... ERROR. */
    static final int UNBLOCKED = 3;
    /** The client went away, or its task is being cancelled. */
    static final int CLOSED = 4;
    /** A cross-shard move's source got an element: the owner runs the move itself. */
    static final int MOVE_READY = 5;

    final Connection owner;
    /** The database the client had selected: it waits on keys of that one. */
    final int db;
    final int origin;
    final CommandSpec spec;
    final Command command;
    /** The argument indexes of the keys it waits on, in argument order (only the source for a move). */
    final int[] keyArgs;
    /** The shard of each of {@link #keyArgs}. */
    final int[] keyShards;
    /** A move whose destination lives on another shard than its source: see {@link #MOVE_READY}. */
    final boolean crossMove;
    /** The reply, written by the shard that claimed {@link #SERVED}. */
    final RespWriter reply = new RespWriter(128);
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private final Semaphore woken = new Semaphore(0);

    Waiter(Connection owner, CommandSpec spec, Command command, int[] keyArgs, boolean crossMove) {
        this.owner = owner;
        this.db = owner.db;
        reply.protocol(owner.protocol); // written on another shard: in the owner's RESP version
        this.origin = owner.shard.id;
        this.spec = spec;
        this.command = command;
        this.keyArgs = keyArgs;
        this.crossMove = crossMove;
        this.keyShards = new int[keyArgs.length];
        for (int i = 0; i < keyArgs.length; i++) {
            keyShards[i] = KeyHash.shardOf(command.arg(keyArgs[i]), owner.shard.shards);
        }
    }

    /** The keys a blocking pop waits on: every key, but only the source of a move. */
    static int[] waitedKeys(CommandSpec spec, Command c) {
        return BlockingPops.isMove(spec) ? new int[] {1} : spec.keyIndexes(c);
    }

    /** @return whether nobody has claimed it yet; any thread */
    boolean isWaiting() {
        return state.get() == WAITING;
    }

    /** @return how it ended, or {@link #WAITING} */
    int state() {
        return state.get();
    }

    /**
     * Claims it: true for the one caller that moved it from {@link #WAITING} to {@code outcome};
     * that caller must then {@link #wakeFrom} its owner. Any thread.
     */
    boolean claim(int outcome) {
        return state.compareAndSet(WAITING, outcome);
    }

    /** Wakes the owner from shard {@code here}: in place on its own executor, else through its inbox. */
    void wakeFrom(Shard here) {
        if (here.id == origin) {
            wake();
            return;
        }
        try {
            here.server.onShard(origin, s -> {
                wake();
                return null;
            });
        } catch (RejectedExecutionException e) {
            // The owner's executor has stopped: nobody is left to wake.
        }
    }

    /** Lets the owner go on; once per claim. Owner's executor only. */
    void wake() {
        woken.signal(1);
    }

    /** Parks the owner until the claimer woke it. Owner's executor only. */
    void awaitWake() {
        woken.acquire(1);
    }
}
