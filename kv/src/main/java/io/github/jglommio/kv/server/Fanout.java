package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.Routing;
import io.github.jglommio.kv.resp.RespWriter;

import java.nio.charset.StandardCharsets;

/**
 * How one client command that ran on every shard (DBSIZE, KEYS, FLUSHALL, RANDOMKEY), or on one
 * shard under a rewritten cursor (SCAN), becomes one reply: the parts it was split into and the rule that merges their replies
 * ({@link Routing}). Made by {@link Connection} while it plans a pipeline, merged once every part
 * has its reply. Owner connection's task only.
 */
final class Fanout {

    private final Routing routing;
    private final int[] partShard;
    private final int[] partIndex;
    private int parts;
    /** ALL_SCAN: the number of shards and the shard the cursor named. */
    int scanShards;
    int scanShard;

    Fanout(Routing routing, int maxParts) {
        this.routing = routing;
        this.partShard = new int[maxParts];
        this.partIndex = new int[maxParts];
    }

    /** SCAN {@code c}, whose cursor is {@code cursor}, as the shard the cursor names runs it: with that shard's own cursor. */
    static io.github.jglommio.kv.resp.Command scanOnShard(io.github.jglommio.kv.resp.Command c, long cursor, int shards) {
        byte[][] args = c.args().clone();
        args[1] = Long.toUnsignedString(Long.divideUnsigned(cursor, shards)).getBytes(StandardCharsets.US_ASCII);
        return io.github.jglommio.kv.resp.Command.of(args);
    }

    /** Adds a part: command {@code index} of the batch for {@code shard}; returns the part number. */
    int addPart(int shard, int index) {
        partShard[parts] = shard;
        partIndex[parts] = index;
        return parts++;
    }

    /** Writes the merged reply to {@code out}, reading each part's reply from {@code batches}. */
    void merge(ShardBatch[] batches, RespWriter out) {
        // An error from any part is the reply (the first, in part order), as one shard would give it.
        for (int p = 0; p < parts; p++) {
            ShardBatch b = batches[partShard[p]];
            int start = b.replyStart(partIndex[p]);
            if (RespScan.isError(b.reply.array(), start)) {
                out.raw(b.reply.array(), start, b.replyEnd(partIndex[p]) - start);
                return;
            }
        }
        switch (routing) {
            case ALL_SUM -> {
                long sum = 0;
                for (int p = 0; p < parts; p++) {
                    ShardBatch b = batches[partShard[p]];
                    sum += RespScan.number(b.reply.array(), b.replyStart(partIndex[p]));
                }
                out.integer(sum);
            }
            case ALL_OK -> out.ok();
            case ALL_ARRAY -> {
                long total = 0;
                for (int p = 0; p < parts; p++) {
                    ShardBatch b = batches[partShard[p]];
                    total += RespScan.number(b.reply.array(), b.replyStart(partIndex[p]));
                }
                out.arrayHeader((int) total);
                for (int p = 0; p < parts; p++) {
                    ShardBatch b = batches[partShard[p]];
                    int start = b.replyStart(partIndex[p]);
                    int body = RespScan.lineEnd(b.reply.array(), start);
                    out.raw(b.reply.array(), body, b.replyEnd(partIndex[p]) - body);
                }
            }
            case ALL_RANDOM -> {
                for (int p = 0; p < parts; p++) {
                    ShardBatch b = batches[partShard[p]];
                    int start = b.replyStart(partIndex[p]);
                    if (!RespScan.isNull(b.reply.array(), start)) {
                        out.raw(b.reply.array(), start, b.replyEnd(partIndex[p]) - start);
                        return;
                    }
                }
                out.nullBulk();
            }
            case ALL_SCAN -> mergeScan(batches, out);
            default -> throw new IllegalStateException("no merge rule for " + routing);
        }
    }

    /**
     * A shard's {@code [cursor, keys]} with the shard's cursor turned into the server's: shard
     * cursor {@code c} of shard {@code s} is {@code c * shards + s}; a shard that finished hands over
     * to the next one (cursor {@code s + 1}), and the last one ends the scan (0).
     */
    private void mergeScan(ShardBatch[] batches, RespWriter out) {
        ShardBatch b = batches[partShard[0]];
        byte[] a = b.reply.array();
        int start = b.replyStart(partIndex[0]);
        int cursorHeader = RespScan.lineEnd(a, start);          // after *2
        int cursorStart = RespScan.lineEnd(a, cursorHeader);    // after $len
        int cursorEnd = RespScan.lineEnd(a, cursorStart) - 2;
        long shardNext = Long.parseUnsignedLong(new String(a, cursorStart, cursorEnd - cursorStart,
                StandardCharsets.US_ASCII));
        long next;
        if (shardNext == 0) {
            next = scanShard + 1 < scanShards ? scanShard + 1 : 0;
        } else {
            next = shardNext * scanShards + scanShard;
        }
        out.arrayHeader(2);
        out.bulk(Long.toUnsignedString(next).getBytes(StandardCharsets.US_ASCII));
        int keys = cursorEnd + 2;
        out.raw(a, keys, b.replyEnd(partIndex[0]) - keys);
    }
}
