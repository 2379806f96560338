package io.github.jglommio.kv.server;

import io.github.jglommio.Task;
import io.github.jglommio.TaskQueueHandle;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.net.TcpStream;
import io.github.jglommio.sync.Semaphore;

import java.io.IOException;

/**
 * The outgoing bytes of a subscribed connection and the task that writes them: pub/sub frames
 * delivered by any task of the shard's executor, and, while the connection is subscribed, its own
 * replies too, so that a single writer puts everything on the socket in the order it was made and
 * no two writes interleave mid-frame.
 *
 * <p>Why a task of its own: the connection's task spends its idle time parked in a socket read,
 * which nothing can wake, so it cannot write a message that arrives meanwhile; and the task that
 * delivers (a shard's request task, another connection's task) must never park on a subscriber that
 * does not read. The writer parks on a semaphore while there is nothing to send: a message is on its
 * way at the next scheduling turn, with no polling.
 *
 * <p>A subscriber that does not read must not hold memory without bound: past the hard
 * {@code client-output-buffer-limit} of the pubsub class (32 MiB by default, as in Redis) waiting,
 * its connection is closed at once and what waits is dropped; past the soft one (8 MiB for 60 s)
 * for longer than its seconds, {@link ShardClients}' check closes it ({@link #pendingBytes}).
 *
 * <p>Threading: the shard's executor only; the writer task is one of its tasks.
 */
final class PushOutbox {

    /** A buffer that grew past this is not kept for reuse after it was written. */
    private static final int KEEP_BYTES = 64 << 10;
    private static final int INITIAL_BYTES = 512;

    private static final System.Logger LOG = System.getLogger(PushOutbox.class.getName());

    private final TcpStream stream;
    private final TaskQueueHandle queue;
    private final Connection conn;
    /** What waits to be written; appended to by anyone, swapped out by the writer. */
    private RespWriter pending = new RespWriter(INITIAL_BYTES);
    /** The buffer the writer is writing (or the spare one). */
    private RespWriter writingBuffer = new RespWriter(INITIAL_BYTES);
    private final Semaphore wake = new Semaphore(0);
    private boolean wakePending;
    private final Semaphore drained = new Semaphore(0);
    private boolean awaitingDrain;
    /** The writer is in a socket write. */
    private boolean writing;
    /** Closed: over the limit, a failed write, or the connection ended. Appends are dropped. */
    private boolean closed;
    private boolean stopped;
    private Task<Void> writer;

    PushOutbox(Connection conn, TaskQueueHandle queue) {
        this.conn = conn;
        this.stream = conn.stream;
        this.queue = queue;
    }

    /** Bytes waiting to be written, the buffer in the socket write included. */
    long pendingBytes() {
        return (long) pending.size() + (writing ? writingBuffer.size() : 0);
    }

    /** Whether nothing waits and nothing is being written: the connection may write the socket itself. */
    boolean idle() {
        return !writing && pending.size() == 0;
    }

    /** Queues {@code len} bytes of {@code a} from {@code off} for the writer; never parks. */
    void append(byte[] a, int off, int len) {
        if (closed || len == 0) {
            return;
        }
        long waiting = pendingBytes() + len;
        if (conn.shard.server.admin.config.outputLimits().pubsub().overHard(waiting)) {
            overflow(waiting);
            return;
        }
        pending.raw(a, off, len);
        if (writer == null) {
            writer = Task.localInto(this::drain, queue);
        }
        if (!wakePending) {
            wakePending = true;
            wake.signal(1);
        }
    }

    /** Queues what {@code w} holds. */
    void append(RespWriter w) {
        append(w.array(), 0, w.size());
    }

    /**
     * The connection ends: waits until what it queued (the reply to QUIT, say) is written, unless
     * the outbox is closed already, then ends the writer. Called by the connection's task.
     */
    void finish() {
        while (!closed && !idle()) {
            awaitingDrain = true;
            drained.acquire(1);
        }
        closed = true;
        stopped = true;
        pending.clear();
        if (writer != null) {
            wake.signal(1);
            writer.detach(); // parked in a write to a peer that left: it ends when the stream closes
        }
    }

    /** Over the limit: the connection is closed as Redis closes it, from a task of its own (a close may wait). */
    private void overflow(long waiting) {
        closed = true;
        pending.clear();
        conn.shard.server.outputLimitReached(conn, "hard", waiting);
        Task.localInto(() -> {
            try {
                stream.close(); // the connection's read fails and it ends, unsubscribing
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing an overflowed pub/sub client", e);
            }
        }, queue).detach();
    }

    /** The writer task: writes what waits, in order, until the outbox is stopped. */
    private Void drain() {
        while (true) {
            wake.acquire(1);
            wakePending = false;
            while (pending.size() > 0 && !closed) {
                RespWriter w = pending;
                pending = writingBuffer;
                writingBuffer = w;
                writing = true;
                try {
                    stream.writeAll(w.array(), 0, w.size());
                } catch (IOException | RuntimeException e) {
                    closed = true; // the client is gone; its connection's read notices too
                    pending.clear();
                } finally {
                    writing = false;
                    w.clearAndTrim(KEEP_BYTES, INITIAL_BYTES);
                }
            }
            if (awaitingDrain) {
                awaitingDrain = false;
                drained.signal(1);
            }
            if (stopped) {
                return null;
            }
        }
    }
}
