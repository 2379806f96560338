package io.github.jglommio.benchmarks;

import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.channels.LocalChannel;
import io.github.jglommio.sync.Semaphore;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Map;

/**
 * The single-executor half of the {@code channels} suite: what a send+receive pair on a
 * {@link LocalChannel} and an acquire+signal pair on a {@link Semaphore} cost inside one task when
 * neither ever parks (the channel is never full or empty when used, the semaphore always has the
 * permit), beside a plain {@link ArrayDeque} offer+poll pair run the same way.
 *
 * <p>Every loop runs {@link #OPS} pairs in one task of one executor pinned to CPU 0 and folds each
 * result into a sum it returns, so the JIT cannot drop the work. The ops are interleaved: each
 * round times every op once; the first {@link #WARMUP_ROUNDS} rounds are discarded (JIT), the median
 * of the rest is the figure. Threading: {@link #measure} blocks the calling platform thread.
 */
final class LocalPrimitives {

    static final int OPS = 5_000_000;
    static final int WARMUP_ROUNDS = 5;
    static final int ROUNDS = 7;

    /** The loops, in table order. */
    enum Op {
        LOCAL_CHANNEL("LocalChannel send + recv (never parks)"),
        LOCAL_CHANNEL_TRY("LocalChannel trySend + tryRecv"),
        SEMAPHORE("Semaphore acquire(1) + signal(1) (never parks)"),
        SEMAPHORE_TRY("Semaphore tryAcquire(1) + signal(1)"),
        ARRAY_DEQUE("baseline: ArrayDeque offer + poll");

        final String label;

        Op(String label) {
            this.label = label;
        }
    }

    private static final Integer ITEM = 1;

    private LocalPrimitives() {
    }

    /** Nanoseconds per pair of each op, per measured round: {@code result.get(op)[round]}. */
    static Map<Op, double[]> measure() {
        return LocalExecutorBuilder.create().name("chan-local").pinToCpu(0).make().run(() -> {
            LocalChannel<Integer> channel = LocalChannel.newBounded(CrossCoreQueues.CAPACITY);
            Semaphore semaphore = new Semaphore(1);
            ArrayDeque<Integer> deque = new ArrayDeque<>(CrossCoreQueues.CAPACITY);
            Map<Op, double[]> ns = new EnumMap<>(Op.class);
            for (Op op : Op.values()) {
                ns.put(op, new double[ROUNDS]);
            }
            long sink = 0;
            for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
                for (Op op : Op.values()) {
                    long startNs = System.nanoTime();
                    sink += switch (op) {
                        case LOCAL_CHANNEL -> channel(channel);
                        case LOCAL_CHANNEL_TRY -> channelTry(channel);
                        case SEMAPHORE -> semaphore(semaphore);
                        case SEMAPHORE_TRY -> semaphoreTry(semaphore);
                        case ARRAY_DEQUE -> deque(deque);
                    };
                    long elapsedNs = System.nanoTime() - startNs;
                    if (round >= WARMUP_ROUNDS) {
                        ns.get(op)[round - WARMUP_ROUNDS] = elapsedNs / (double) OPS;
                    }
                }
            }
            if (sink != (long) (WARMUP_ROUNDS + ROUNDS) * Op.values().length * OPS) {
                throw new IllegalStateException("a loop lost operations: sum " + sink);
            }
            return ns;
        });
    }

    private static long channel(LocalChannel<Integer> ch) {
        long sum = 0;
        for (int i = 0; i < OPS; i++) {
            ch.send(ITEM);
            sum += ch.recv();
        }
        return sum;
    }

    private static long channelTry(LocalChannel<Integer> ch) {
        long sum = 0;
        for (int i = 0; i < OPS; i++) {
            if (!ch.trySend(ITEM)) {
                throw new IllegalStateException("channel full");
            }
            sum += ch.tryRecv();
        }
        return sum;
    }

    private static long semaphore(Semaphore s) {
        long sum = 0;
        for (int i = 0; i < OPS; i++) {
            s.acquire(1);
            s.signal(1);
            sum++;
        }
        return sum;
    }

    private static long semaphoreTry(Semaphore s) {
        long sum = 0;
        for (int i = 0; i < OPS; i++) {
            sum += s.tryAcquire(1) ? 1 : 0;
            s.signal(1);
        }
        return sum;
    }

    private static long deque(ArrayDeque<Integer> q) {
        long sum = 0;
        for (int i = 0; i < OPS; i++) {
            q.offer(ITEM);
            sum += q.poll();
        }
        return sum;
    }
}
