package io.github.jglommio.benchmarks;

import io.github.jglommio.ExecutorJoinHandle;
import io.github.jglommio.ExecutorStats;
import io.github.jglommio.LatencyHistogram;
import io.github.jglommio.LocalExecutor;
import io.github.jglommio.LocalExecutorBuilder;
import io.github.jglommio.Placement;
import io.github.jglommio.channels.ConnectedReceiver;
import io.github.jglommio.channels.ConnectedSender;
import io.github.jglommio.channels.SharedChannel;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;

import org.jctools.queues.SpscArrayQueue;

/**
 * The cross-core half of the {@code channels} suite: one producer on {@link #PRODUCER_CPU}, one
 * consumer on {@link #CONSUMER_CPU}, a bounded queue of {@link #CAPACITY} between them, the
 * producer sending as fast as the queue takes messages for a fixed duration.
 *
 * <p>Each message is a {@link Stamp} from a pool the producer cycles through (no allocation per
 * message on any side): the producer writes {@code System.nanoTime()} into it just before the send,
 * the consumer records {@code nanoTime() - sentNs} into a LatencyHistogram just after the receive. The
 * pool is four times the capacity, so a stamp is rewritten only long after its receiver read it.
 * Under saturation that latency is mostly queueing: a full queue of {@link #CAPACITY} messages
 * ahead of each one.
 *
 * <p>Peers: a jglommio {@link SharedChannel} between two executors pinned apart (tasks park when
 * the channel is full or empty and are woken across cores); JCTools {@link SpscArrayQueue} with a
 * busy-spinning producer and consumer (the raw bound: no parking ever); and
 * {@link ArrayBlockingQueue} with {@code put}/{@code take} (a lock and two conditions). The JDK and
 * JCTools peers run on platform threads pinned the same way: each is the single thread of the
 * blocking pool of an executor pinned to that CPU (whose own thread sleeps meanwhile), which is how
 * jglommio's public API pins a platform thread.
 *
 * <p>Threading: every method blocks the calling platform thread until both sides have stopped.
 */
final class CrossCoreQueues {

    static final int PRODUCER_CPU = 0;
    static final int CONSUMER_CPU = 1;
    static final int CAPACITY = 1024;

    /** Stamps in the producer's pool: a power of two, several capacities, so a reused stamp was read long ago. */
    private static final int POOL = 4 * CAPACITY;

    /** The queues compared, in table order. */
    enum Peer {
        SHARED_CHANNEL("jglommio SharedChannel (send / recv, tasks park)"),
        SPSC("JCTools SpscArrayQueue (offer / poll, busy spin)"),
        ABQ("JDK ArrayBlockingQueue (put / take)");

        final String label;

        Peer(String label) {
            this.label = label;
        }
    }

    /**
     * One run's figures.
     *
     * @param messages          messages received
     * @param elapsedNs         from the first send to the last receive
     * @param latency           send-to-receive latency of every message, in nanoseconds
     * @param consumerWakeups   cross-thread wake-ups of the consumer's executor (SharedChannel only, else -1)
     * @param producerWakeups   the same for the producer's executor
     * @param consumerSleeps    times the consumer's executor went to sleep (SharedChannel only, else -1)
     * @param producerSleeps    the same for the producer's executor
     */
    record Run(long messages, long elapsedNs, LatencyHistogram latency, long consumerWakeups, long producerWakeups,
               long consumerSleeps, long producerSleeps) {

        double messagesPerSecond() {
            return messages * 1e9 / elapsedNs;
        }
    }

    /** A message: the producer's send time. Written by the producer before publishing, read by the consumer after. */
    private static final class Stamp {
        long sentNs;
    }

    /** What the consumer saw. */
    private record Received(long messages, long lastNs, LatencyHistogram latency, ExecutorStats stats) {
    }

    /** What the producer did. */
    private record Sent(long firstNs, ExecutorStats stats) {
    }

    private static final Stamp END = new Stamp();

    private CrossCoreQueues() {
    }

    static Run run(Peer peer, Duration duration) {
        return switch (peer) {
            case SHARED_CHANNEL -> sharedChannel(duration.toNanos());
            case SPSC -> spsc(duration.toNanos());
            case ABQ -> arrayBlockingQueue(duration.toNanos());
        };
    }

    // ---------------------------------------------------------------- jglommio

    private static Run sharedChannel(long durationNs) {
        SharedChannel<Stamp> ch = SharedChannel.newBounded(CAPACITY);
        ExecutorJoinHandle<Received> consumer = LocalExecutorBuilder.create().name("chan-consumer")
                .pinToCpu(CONSUMER_CPU).spawn(() -> {
                    ConnectedReceiver<Stamp> rx = ch.receiver().connect();
                    ExecutorStats before = LocalExecutor.current().stats();
                    LatencyHistogram h = newHistogram();
                    long n = 0;
                    long lastNs = 0;
                    Stamp s;
                    while ((s = rx.recv()) != null) {
                        lastNs = System.nanoTime();
                        h.record(Math.max(0, lastNs - s.sentNs));
                        n++;
                    }
                    return new Received(n, lastNs, h, LocalExecutor.current().stats().delta(before));
                });
        ExecutorJoinHandle<Sent> producer = LocalExecutorBuilder.create().name("chan-producer")
                .pinToCpu(PRODUCER_CPU).spawn(() -> {
                    Stamp[] pool = newPool();
                    ExecutorStats before = LocalExecutor.current().stats();
                    long firstNs;
                    try (ConnectedSender<Stamp> tx = ch.sender().connect()) {
                        firstNs = System.nanoTime();
                        long endNs = firstNs + durationNs;
                        long now = firstNs;
                        for (int i = 0; now < endNs; i++) {
                            Stamp s = pool[i & (POOL - 1)];
                            s.sentNs = now;
                            tx.send(s);
                            now = System.nanoTime();
                        }
                    }
                    return new Sent(firstNs, LocalExecutor.current().stats().delta(before));
                });
        Sent sent = producer.join();
        Received received = consumer.join();
        return new Run(received.messages, received.lastNs - sent.firstNs, received.latency,
                received.stats.io().wakeups(), sent.stats.io().wakeups(), received.stats.sleeps(), sent.stats.sleeps());
    }

    // ---------------------------------------------------------------- platform-thread peers

    /** The queue operations a platform-thread peer needs. */
    private interface Queue {
        void put(Stamp s) throws InterruptedException;

        Stamp take() throws InterruptedException;
    }

    private static Run spsc(long durationNs) {
        SpscArrayQueue<Stamp> q = new SpscArrayQueue<>(CAPACITY);
        return platformThreads(durationNs, new Queue() {
            @Override
            public void put(Stamp s) {
                while (!q.offer(s)) {
                    Thread.onSpinWait();
                }
            }

            @Override
            public Stamp take() {
                Stamp s;
                while ((s = q.poll()) == null) {
                    Thread.onSpinWait();
                }
                return s;
            }
        });
    }

    private static Run arrayBlockingQueue(long durationNs) {
        ArrayBlockingQueue<Stamp> q = new ArrayBlockingQueue<>(CAPACITY);
        return platformThreads(durationNs, new Queue() {
            @Override
            public void put(Stamp s) throws InterruptedException {
                q.put(s);
            }

            @Override
            public Stamp take() throws InterruptedException {
                return q.take();
            }
        });
    }

    private static Run platformThreads(long durationNs, Queue q) {
        ExecutorJoinHandle<Received> consumer = onPinnedPlatformThread("plain-consumer", CONSUMER_CPU, () -> {
            LatencyHistogram h = newHistogram();
            long n = 0;
            long lastNs = 0;
            Stamp s;
            while ((s = q.take()) != END) {
                lastNs = System.nanoTime();
                h.record(Math.max(0, lastNs - s.sentNs));
                n++;
            }
            return new Received(n, lastNs, h, null);
        });
        ExecutorJoinHandle<Sent> producer = onPinnedPlatformThread("plain-producer", PRODUCER_CPU, () -> {
            Stamp[] pool = newPool();
            long firstNs = System.nanoTime();
            long endNs = firstNs + durationNs;
            long now = firstNs;
            for (int i = 0; now < endNs; i++) {
                Stamp s = pool[i & (POOL - 1)];
                s.sentNs = now;
                q.put(s);
                now = System.nanoTime();
            }
            q.put(END);
            return new Sent(firstNs, null);
        });
        Sent sent = producer.join();
        Received received = consumer.join();
        return new Run(received.messages, received.lastNs - sent.firstNs, received.latency, -1, -1, -1, -1);
    }

    /**
     * Runs {@code work} on a platform thread pinned to {@code cpu}: the one thread of the blocking
     * pool of an executor pinned there; the executor's own thread sleeps until {@code work} ends.
     */
    private static <T> ExecutorJoinHandle<T> onPinnedPlatformThread(String name, int cpu, Callable<T> work) {
        return LocalExecutorBuilder.create().name(name).pinToCpu(cpu).blockingPoolPlacement(Placement.fixed(cpu))
                .blockingPoolSize(1).spawn(() -> LocalExecutor.current().spawnBlocking(work));
    }

    private static Stamp[] newPool() {
        Stamp[] pool = new Stamp[POOL];
        for (int i = 0; i < POOL; i++) {
            pool[i] = new Stamp();
        }
        return pool;
    }

    /** Full precision up to 60 s: allocated before the run, never resized. */
    private static LatencyHistogram newHistogram() {
        return new LatencyHistogram(60_000_000_000L);
    }
}
