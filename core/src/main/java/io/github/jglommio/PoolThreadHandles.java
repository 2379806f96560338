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
