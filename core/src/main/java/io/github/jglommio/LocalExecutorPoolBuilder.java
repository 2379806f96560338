package io.github.jglommio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a pool of executors, one per shard, placed by a {@link PoolPlacement}: Glommio's
 * {@code LocalExecutorPoolBuilder}.
 *
 * {@snippet :
 * PoolThreadHandles<Long> all = new LocalExecutorPoolBuilder(PoolPlacement.maxSpread(2))
 *     .name("shard")
 *     .onAllShards(() -> LocalExecutor.current().id());
 * List<Long> ids = all.joinAll();
 * }
 *
 * <p>Starting is all-or-nothing: every executor pins its thread and creates its ring first; the
 * shards' code runs only when all of them succeeded, otherwise every thread stops and
 * {@link #onAllShards} throws the first failure. Knobs are those of {@link LocalExecutorBuilder},
 * applied to every shard; shard {@code i} is named {@code <name>-<i>}. Not thread-safe.
 */
public final class LocalExecutorPoolBuilder {

    private final PoolPlacement placement;
    private final LocalExecutorBuilder template = new LocalExecutorBuilder();
    private String name = "shard";

    public LocalExecutorPoolBuilder(PoolPlacement placement) {
        this.placement = Objects.requireNonNull(placement, "placement");
    }

    /** The shards' name prefix: shard {@code i} is named {@code <prefix>-<i>}. Default {@code shard}. */
    public LocalExecutorPoolBuilder name(String prefix) {
        template.name(prefix);
        this.name = prefix;
        return this;
    }

    /** See {@link LocalExecutorBuilder#ringDepth}. */
    public LocalExecutorPoolBuilder ringDepth(int entries) {
        template.ringDepth(entries);
        return this;
    }

    /** See {@link LocalExecutorBuilder#preemptTimer}. */
    public LocalExecutorPoolBuilder preemptTimer(Duration slice) {
        template.preemptTimer(slice);
        return this;
    }

    /** See {@link LocalExecutorBuilder#spinBeforePark}. */
    public LocalExecutorPoolBuilder spinBeforePark(Duration spin) {
        template.spinBeforePark(spin);
        return this;
    }

    /** See {@link LocalExecutorBuilder#shutdownGrace}. */
    public LocalExecutorPoolBuilder shutdownGrace(Duration grace) {
        template.shutdownGrace(grace);
        return this;
    }

    /** See {@link LocalExecutorBuilder#blockingPoolSize}. */
    public LocalExecutorPoolBuilder blockingPoolSize(int threads) {
        template.blockingPoolSize(threads);
        return this;
    }

    /** See {@link LocalExecutorBuilder#blockingPoolPlacement}. */
    public LocalExecutorPoolBuilder blockingPoolPlacement(Placement p) {
        template.blockingPoolPlacement(p);
        return this;
    }

    /** See {@link LocalExecutorBuilder#ioMemory}. */
    public LocalExecutorPoolBuilder ioMemory(long bytes) {
        template.ioMemory(bytes);
        return this;
    }

    /** See {@link LocalExecutorBuilder#completionBatching}. */
    public LocalExecutorPoolBuilder completionBatching(int completions, Duration maxDelay) {
        template.completionBatching(completions, maxDelay);
        return this;
    }

    /** See {@link LocalExecutorBuilder#submitBatch}. */
    public LocalExecutorPoolBuilder submitBatch(int operations) {
        template.submitBatch(operations);
        return this;
    }

    /** See {@link LocalExecutorBuilder#recvBuffers}. */
    public LocalExecutorPoolBuilder recvBuffers(int buffers, int bufferSize) {
        template.recvBuffers(buffers, bufferSize);
        return this;
    }

    /** See {@link LocalExecutorBuilder#recordIoLatencies}. */
    public LocalExecutorPoolBuilder recordIoLatencies(boolean record) {
        template.recordIoLatencies(record);
        return this;
    }

    /** See {@link LocalExecutorBuilder#detectStalls(StallHandler)}. */
    public LocalExecutorPoolBuilder detectStalls(StallHandler handler) {
        template.detectStalls(handler);
        return this;
    }

    /** See {@link LocalExecutorBuilder#stallThreshold}. */
    public LocalExecutorPoolBuilder stallThreshold(Duration threshold) {
        template.stallThreshold(threshold);
        return this;
    }

    /**
     * Starts every shard and runs {@code main} on each as its first task.
     *
     * @throws IllegalArgumentException when the placement cannot be satisfied (too few CPUs, an offline
     *                                  CPU, an empty set); nothing was started
     * @throws IllegalStateException    when a shard failed to start; none runs
     */
    public <T> PoolThreadHandles<T> onAllShards(Callable<T> main) {
        Objects.requireNonNull(main, "main");
        List<Placement> placements = placement.assign(CpuSet.online());
        List<LocalExecutor> executors = new ArrayList<>();
        for (int i = 0; i < placements.size(); i++) {
            LocalExecutorBuilder b = copy().name(name + "-" + i).placement(placements.get(i));
            executors.add(b.make());
        }
        StartGate gate = new StartGate(executors.size());
        List<ExecutorJoinHandle<T>> handles = new ArrayList<>();
        for (LocalExecutor ex : executors) {
            CompletableFuture<T> result = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().name(ex.name()).unstarted(() -> {
                try {
                    result.complete(ex.run(main, gate));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
            t.start();
            handles.add(new ExecutorJoinHandle<>(ex, t, result));
        }
        if (!gate.awaitAll()) {
            for (ExecutorJoinHandle<T> h : handles) {
                try {
                    h.join();
                } catch (RuntimeException | Error ignored) {
                    // Every shard fails the same way here; the first failure is thrown below.
                }
            }
            Throwable f = gate.failure();
            throw new IllegalStateException("pool '" + name + "' did not start: " + f.getMessage(), f);
        }
        return new PoolThreadHandles<>(handles);
    }

    /** Runs {@code main} on every shard; see {@link #onAllShards(Callable)}. */
    public PoolThreadHandles<Void> onAllShards(Runnable main) {
        return onAllShards(Task.asCallable(main));
    }

    private LocalExecutorBuilder copy() {
        LocalExecutorBuilder b = new LocalExecutorBuilder();
        b.ringDepth = template.ringDepth;
        b.preemptTimer = template.preemptTimer;
        b.spinBeforePark = template.spinBeforePark;
        b.shutdownGrace = template.shutdownGrace;
        b.blockingPoolSize = template.blockingPoolSize;
        b.blockingPoolPlacement = template.blockingPoolPlacement;
        b.stallHandler = template.stallHandler;
        b.stallThreshold = template.stallThreshold;
        b.ioMemory = template.ioMemory;
        b.recordIoLatencies = template.recordIoLatencies;
        b.submitBatch = template.submitBatch;
        b.completionBatch = template.completionBatch;
        b.completionBatchDelay = template.completionBatchDelay;
        b.recvBuffers = template.recvBuffers;
        b.recvBufferSize = template.recvBufferSize;
        return b;
    }
}
