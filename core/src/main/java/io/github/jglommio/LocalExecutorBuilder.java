package io.github.jglommio;

import io.github.jglommio.loom.Loom;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Configures an executor: Glommio's {@code LocalExecutorBuilder}. {@link #make()} returns an executor
 * to {@link LocalExecutor#run run} on the calling thread; {@link #spawn} starts one on a new thread.
 *
 * {@snippet :
 * ExecutorJoinHandle<Void> h = LocalExecutorBuilder.create()
 *     .name("worker-0")
 *     .ringDepth(1024)
 *     .preemptTimer(Duration.ofMillis(1))
 *     .spawn(() -> System.out.println("running on " + LocalExecutor.current().name()));
 * h.join();
 * }
 *
 * <p>Every setter validates its argument at once and throws {@link IllegalArgumentException} naming
 * the allowed range. Not thread-safe; a builder may be reused.
 */
public final class LocalExecutorBuilder {

    /** System property that overrides the default ring depth. */
    public static final String RING_DEPTH_PROP_NAME = "jglommio.ringDepth";
    /** Default SQ ring depth: Glommio's 128. */
    public static final int RING_DEPTH_DEFAULT = 128;
    /** Largest ring depth the kernel accepts (IORING_MAX_ENTRIES). */
    public static final int RING_DEPTH_MAX = 32768;
    /** Default preemption time slice: Glommio's 100 ms. */
    public static final Duration PREEMPT_TIMER_DEFAULT = Duration.ofMillis(100);
    /** Default number of threads of the pool behind {@link LocalExecutor#spawnBlocking}. */
    public static final int BLOCKING_POOL_SIZE_DEFAULT = 4;
    /** System property overriding the default buffer count of {@link #recvBuffers}. */
    public static final String RECV_BUFFERS_PROP_NAME = "jglommio.recvBuffers";
    /** Default buffer count of {@link #recvBuffers}. */
    public static final int RECV_BUFFERS_DEFAULT = 512;
    /** System property overriding the default buffer size of {@link #recvBuffers}. */
    public static final String RECV_BUFFER_SIZE_PROP_NAME = "jglommio.recvBufferSize";
    /** Default buffer size of {@link #recvBuffers}. */
    public static final int RECV_BUFFER_SIZE_DEFAULT = 4096;
    /** System property overriding the default {@link #submitBatch}. */
    public static final String SUBMIT_BATCH_PROP_NAME = "jglommio.submitBatch";
    /** Default {@link #submitBatch}: submit once 4 operations are queued. */
    public static final int SUBMIT_BATCH_DEFAULT = 4;
    /** System property overriding the default completion count of {@link #completionBatching}. */
    public static final String COMPLETION_BATCH_PROP_NAME = "jglommio.completionBatch";
    /** Default completion count of {@link #completionBatching}: 1, no batching. */
    public static final int COMPLETION_BATCH_DEFAULT = 1;
    /** System property overriding the default delay of {@link #completionBatching}, in microseconds. */
    public static final String COMPLETION_BATCH_DELAY_PROP_NAME = "jglommio.completionBatchDelayUs";
    /** Default delay of {@link #completionBatching}: 100 microseconds (used only with a count above 1). */
    public static final Duration COMPLETION_BATCH_DELAY_DEFAULT = Duration.ofNanos(100_000);
    /** Largest completion count of {@link #completionBatching}. */
    public static final int COMPLETION_BATCH_MAX = 4096;
    /** Longest delay of {@link #completionBatching}. */
    public static final Duration COMPLETION_BATCH_DELAY_MAX = Duration.ofSeconds(1);
    /** Default slack past the time slice before a turn counts as a stall. */
    public static final Duration STALL_THRESHOLD_DEFAULT = Duration.ofMillis(10);
    /** Default time cancelled tasks get to finish when an executor stops. */
    public static final Duration SHUTDOWN_GRACE_DEFAULT = Duration.ofSeconds(5);

    String name;
    Placement placement = Placement.unbound();
    Placement blockingPoolPlacement = Placement.unbound();
    int ringDepth = Integer.getInteger(RING_DEPTH_PROP_NAME, RING_DEPTH_DEFAULT);
    Duration preemptTimer = PREEMPT_TIMER_DEFAULT;
    Duration spinBeforePark = Duration.ZERO;
    int completionBatch = Integer.getInteger(COMPLETION_BATCH_PROP_NAME, COMPLETION_BATCH_DEFAULT);
    Duration completionBatchDelay = Duration.ofNanos(1000L * Long.getLong(COMPLETION_BATCH_DELAY_PROP_NAME,
            COMPLETION_BATCH_DELAY_DEFAULT.toNanos() / 1000));
    Duration shutdownGrace = SHUTDOWN_GRACE_DEFAULT;
    int blockingPoolSize = BLOCKING_POOL_SIZE_DEFAULT;
    StallHandler stallHandler;
    long ioMemory;
    int submitBatch = Integer.getInteger(SUBMIT_BATCH_PROP_NAME, SUBMIT_BATCH_DEFAULT);
    int recvBuffers = Integer.getInteger(RECV_BUFFERS_PROP_NAME, RECV_BUFFERS_DEFAULT);
    int recvBufferSize = Integer.getInteger(RECV_BUFFER_SIZE_PROP_NAME, RECV_BUFFER_SIZE_DEFAULT);
    boolean recordIoLatencies;
    Duration stallThreshold = STALL_THRESHOLD_DEFAULT;

    /** A builder with default settings: an unbound executor. */
    public LocalExecutorBuilder() {
    }

    /** A builder for an executor placed by {@code placement}. */
    public LocalExecutorBuilder(Placement placement) {
        placement(placement);
    }

    /** Same as {@code new LocalExecutorBuilder()}. */
    public static LocalExecutorBuilder create() {
        return new LocalExecutorBuilder();
    }

    /**
     * Where the executor's thread runs; default {@link Placement#unbound()}. CPUs are checked against
     * the online CPUs when the executor is made.
     */
    public LocalExecutorBuilder placement(Placement placement) {
        this.placement = Objects.requireNonNull(placement, "placement");
        return this;
    }

    /** Pins the executor to {@code cpu}: same as {@code placement(Placement.fixed(cpu))}. */
    public LocalExecutorBuilder pinToCpu(int cpu) {
        return placement(Placement.fixed(cpu));
    }

    /** Where the {@link LocalExecutor#spawnBlocking} pool's threads run; default unbound. */
    public LocalExecutorBuilder blockingPoolPlacement(Placement placement) {
        this.blockingPoolPlacement = Objects.requireNonNull(placement, "placement");
        return this;
    }

    /** The executor's name (also its thread's name when spawned). Default {@code executor-<id>}. */
    public LocalExecutorBuilder name(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("executor name must not be blank");
        }
        this.name = name;
        return this;
    }

    /**
     * Submission-queue entries of the executor's ring, 1..32768 (the kernel rounds up to a power of
     * two; the completion queue is twice as large). Default 128.
     */
    public LocalExecutorBuilder ringDepth(int entries) {
        if (entries < 1 || entries > RING_DEPTH_MAX) {
            throw new IllegalArgumentException("ringDepth must be between 1 and " + RING_DEPTH_MAX + ", got " + entries);
        }
        this.ringDepth = entries;
        return this;
    }

    /**
     * The longest a task queue runs before the executor switches to I/O and other queues, when no
     * queue asks for less. Positive; default 100 ms.
     */
    public LocalExecutorBuilder preemptTimer(Duration slice) {
        Objects.requireNonNull(slice, "preemptTimer");
        if (slice.isNegative() || slice.isZero()) {
            throw new IllegalArgumentException("preemptTimer must be positive, got " + slice);
        }
        this.preemptTimer = slice;
        return this;
    }

    /**
     * How long an idle executor busy-polls before it sleeps in the kernel: trades CPU for wake-up
     * latency. Zero or positive; default zero (sleep at once).
     */
    public LocalExecutorBuilder spinBeforePark(Duration spin) {
        Objects.requireNonNull(spin, "spinBeforePark");
        if (spin.isNegative()) {
            throw new IllegalArgumentException("spinBeforePark must not be negative, got " + spin);
        }
        this.spinBeforePark = spin;
        return this;
    }

    /**
     * How long tasks still alive when the main task ends get, after being cancelled, to finish
     * before the executor abandons them. Zero or positive; default 5 s.
     */
    public LocalExecutorBuilder shutdownGrace(Duration grace) {
        Objects.requireNonNull(grace, "shutdownGrace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative, got " + grace);
        }
        this.shutdownGrace = grace;
        return this;
    }

    /**
     * Platform threads in the pool that runs {@link LocalExecutor#spawnBlocking} work, 1..1024;
     * default 4. Threads start on first use and stop with the executor.
     */
    public LocalExecutorBuilder blockingPoolSize(int threads) {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("blockingPoolSize must be between 1 and 1024, got " + threads);
        }
        this.blockingPoolSize = threads;
        return this;
    }

    /**
     * Bytes of I/O buffer memory to register with the executor's ring, so that {@code DmaBuffer}s
     * carved from it are read and written with {@code READ_FIXED}/{@code WRITE_FIXED} (no per-I/O page
     * pinning). 0 (the default) turns it off. Registration counts against {@code RLIMIT_MEMLOCK}
     * (8 MiB on many machines); when it does not fit, the executor logs once and uses plain buffers.
     * 0..1 GiB.
     */
    public LocalExecutorBuilder ioMemory(long bytes) {
        if (bytes < 0 || bytes > (1L << 30)) {
            throw new IllegalArgumentException("ioMemory must be between 0 and 1 GiB, got " + bytes);
        }
        this.ioMemory = bytes;
        return this;
    }

    /**
     * Batches the completions an idle executor wakes up for: it sleeps until {@code completions}
     * I/O completions (or wake-ups from other threads) are ready, or until {@code maxDelay} has
     * passed and at least one is. A busy server then handles each wake-up's completions together,
     * with fewer sleeps, wake-ups and context switches per request, which matters most when
     * executors share CPUs with other threads; the price is up to {@code maxDelay} of added latency
     * whenever fewer completions arrive, for instance a lone client's every request. Timers still
     * fire on time. Default {@code completions = 1}: wake for every completion (no batching).
     *
     * <p>Needs Linux 6.12+ (io_uring's {@code min_wait_usec}); on older kernels the executor logs a
     * warning and does not batch ({@link IoUring#supportsCompletionBatching()}). A running executor
     * can change it with {@link LocalExecutor#setCompletionBatching}, for instance to batch only
     * while many clients are active.
     *
     * @param completions 1..4096; 1 turns batching off
     * @param maxDelay    the longest extra wait, 1 microsecond..1 second; ignored when
     *                    {@code completions} is 1
     * @throws IllegalArgumentException when a value is out of range
     */
    public LocalExecutorBuilder completionBatching(int completions, Duration maxDelay) {
        checkCompletionBatching(completions, maxDelay);
        this.completionBatch = completions;
        this.completionBatchDelay = maxDelay;
        return this;
    }

    /** The checks of {@link #completionBatching}, shared with {@link LocalExecutor#setCompletionBatching}. */
    static void checkCompletionBatching(int completions, Duration maxDelay) {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (completions < 1 || completions > COMPLETION_BATCH_MAX) {
            throw new IllegalArgumentException("completionBatching: completions must be 1.." + COMPLETION_BATCH_MAX
                    + ", got " + completions);
        }
        if (completions > 1 && (maxDelay.toNanos() < 1000 || maxDelay.compareTo(COMPLETION_BATCH_DELAY_MAX) > 0)) {
            throw new IllegalArgumentException("completionBatching: maxDelay must be 1 microsecond..1 second, got "
                    + maxDelay);
        }
    }

    /**
     * How many queued operations make a task that is about to park submit them at once, instead of
     * waiting for the end of the executor's loop turn: smaller values start device work sooner (on a
     * virtio disk, one turn's worth of reads submitted together completes together, in waves) at the
     * cost of more {@code io_uring_enter} calls. 1 submits every operation; default 4.
     */
    public LocalExecutorBuilder submitBatch(int operations) {
        if (operations < 1) {
            throw new IllegalArgumentException("submitBatch must be at least 1, got " + operations);
        }
        this.submitBatch = operations;
        return this;
    }

    /**
     * The executor's ring of receive buffers for multishot stream receives (a provided-buffer ring,
     * kernel 5.19+): {@code buffers} (a power of two up to 32768; 0 turns multishot receives off) of
     * {@code bufferSize} bytes, allocated on the first stream read. A socket with a multishot receive
     * gets each chunk of data without an SQE per read; a socket holding 16 unread buffers pauses its
     * receive until the reader catches up, and a read that finds the ring empty falls back to a plain
     * receive. Memory: {@code buffers * bufferSize} (default 512 x 4096 = 2 MiB), not locked.
     */
    public LocalExecutorBuilder recvBuffers(int buffers, int bufferSize) {
        if (buffers < 0 || buffers > 32768 || (buffers != 0 && Integer.bitCount(buffers) != 1)) {
            throw new IllegalArgumentException("recvBuffers must be 0 or a power of two up to 32768, got " + buffers);
        }
        if (bufferSize < 64 || bufferSize > (1 << 20)) {
            throw new IllegalArgumentException("recv buffer size must be between 64 bytes and 1 MiB, got " + bufferSize);
        }
        this.recvBuffers = buffers;
        this.recvBufferSize = bufferSize;
        return this;
    }

    /** Records file read/write latencies in histograms ({@link LocalExecutor#ioLatencies()}). Default off. */
    public LocalExecutorBuilder recordIoLatencies(boolean record) {
        this.recordIoLatencies = record;
        return this;
    }

    /**
     * Turns on stall detection: a task queue whose turn runs longer than its time slice plus the
     * {@link #stallThreshold stall threshold} without yielding is reported to {@code handler}, with the
     * running task's stack trace, from a watchdog thread. Off by default.
     */
    public LocalExecutorBuilder detectStalls(StallHandler handler) {
        this.stallHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** Turns on stall detection with {@link StallHandler#LOGGING} (a System.Logger warning). */
    public LocalExecutorBuilder detectStalls() {
        return detectStalls(StallHandler.LOGGING);
    }

    /** The slack past the time slice before a turn counts as a stall. Positive; default 10 ms. */
    public LocalExecutorBuilder stallThreshold(Duration threshold) {
        Objects.requireNonNull(threshold, "stallThreshold");
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("stallThreshold must be positive, got " + threshold);
        }
        this.stallThreshold = threshold;
        return this;
    }

    /**
     * An executor to run on the calling thread with {@link LocalExecutor#run}. The ring is created
     * when it runs.
     *
     * @throws IllegalStateException when jglommio cannot run in this JVM (missing JVM flags, io_uring
     *                               unavailable); the message names the cause and the fix
     */
    public LocalExecutor make() {
        Loom.checkAvailable();
        IoUring.ensureAvailable();
        checkOnline(placement, "placement");
        checkOnline(blockingPoolPlacement, "blockingPoolPlacement");
        return new LocalExecutor(this);
    }

    /** Fails with the CPU and the online set when {@code p} names an offline CPU. */
    static void checkOnline(Placement p, String what) {
        CpuSet online = null;
        switch (p) {
            case Placement.Unbound u -> {
            }
            case Placement.Fixed f -> {
                online = CpuSet.online();
                if (!online.contains(f.cpu())) {
                    throw new IllegalArgumentException(what + ": CPU " + f.cpu() + " is not online; online CPUs: "
                            + online);
                }
            }
            case Placement.Fenced f -> {
                online = CpuSet.online();
                CpuSet offline = f.cpus().difference(online);
                if (!offline.isEmpty()) {
                    throw new IllegalArgumentException(what + ": CPU(s) " + offline + " are not online; online CPUs: "
                            + online);
                }
            }
        }
    }

    /**
     * Starts an executor on a new platform thread (named like the executor) and runs
     * {@code main} there as its first task. The returned handle joins the thread and yields
     * {@code main}'s result.
     */
    public <T> ExecutorJoinHandle<T> spawn(Callable<T> main) {
        Objects.requireNonNull(main, "main");
        LocalExecutor executor = make();
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name(executor.name()).unstarted(() -> {
            try {
                result.complete(executor.run(main));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.start();
        return new ExecutorJoinHandle<>(executor, t, result);
    }

    /** Starts an executor on a new thread running {@code main}; see {@link #spawn(Callable)}. */
    public ExecutorJoinHandle<Void> spawn(Runnable main) {
        return spawn(Task.asCallable(main));
    }
}
