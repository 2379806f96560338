package io.github.jglommio;

import java.util.ArrayList;
import java.util.List;

/**
 * The running shards of a pool started by {@link LocalExecutorPoolBuilder#onAllShards}: Glommio's
 * {@code PoolThreadHandles}. Any thread.
 *
 * @param <T> the shards' result type
 */
public final class PoolThreadHandles<T> {

    private final List<ExecutorJoinHandle<T>> handles;

    PoolThreadHandles(List<ExecutorJoinHandle<T>> handles) {
        this.handles = List.copyOf(handles);
    }

    /**
     * Waits for every shard and returns their results in shard order.
     *
     * @throws RuntimeException the first shard failure (as {@link ExecutorJoinHandle#join()} throws it),
     *                          after all shards have stopped; other failures are suppressed into it
     */
    public List<T> joinAll() {
        List<T> results = new ArrayList<>(handles.size());
        RuntimeException first = null;
        for (ExecutorJoinHandle<T> h : handles) {
            try {
                results.add(h.join());
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
                results.add(null);
            }
        }
        if (first != null) {
            throw first;
        }
        return results;
    }

    /**
     * Stops every shard ({@link ExecutorHandle#requestStop}) and waits for all of them. Shards that
     * were cancelled past the grace end normally here; other failures are rethrown (the first, with
     * the rest suppressed).
     */
    public void shutdown(java.time.Duration grace) {
        for (ExecutorJoinHandle<T> h : handles) {
            h.handle().requestStop(grace);
        }
        RuntimeException first = null;
        for (ExecutorJoinHandle<T> h : handles) {
            try {
                h.join();
            } catch (java.util.concurrent.CancellationException expected) {
                // cancelled at the end of the grace period: that is what shutdown does
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Installs a JVM shutdown hook (run on SIGINT, SIGTERM or {@code System.exit}) that
     * {@link #shutdown shuts the pool down} with {@code grace}. Returns the hook thread, for
     * {@link Runtime#removeShutdownHook}.
     */
    public Thread shutdownOnExit(java.time.Duration grace) {
        Thread hook = Thread.ofPlatform().name("jglommio-pool-shutdown").unstarted(() -> shutdown(grace));
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** The shards' join handles, in shard order. */
    public List<ExecutorJoinHandle<T>> joinHandles() {
        return handles;
    }

    /** Handles for submitting work to each shard from other threads, in shard order. */
    public List<ExecutorHandle> executors() {
        return handles.stream().map(ExecutorJoinHandle::handle).toList();
    }

    /** The number of shards. */
    public int size() {
        return handles.size();
    }
}
