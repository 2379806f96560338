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
 * <p>A subscriber that does not read must not hold memory without bound: past
 * {@value #LIMIT_BYTES} bytes waiting (Redis's hard {@code client-output-buffer-limit pubsub 32mb})
 * its connection is closed, and what waits is dropped.
 *
 * <p>Threading: the shard's executor only; the writer task is one of its tasks.
 */
final class PushOutbox {

    /** The hard output limit of a pub/sub client, as Redis's default {@code client-output-buffer-limit pubsub}. */
    static final int LIMIT_BYTES = 32 << 20;
    /** A buffer that grew past this is not kept for reuse after it was written. */
    private static final int KEEP_BYTES = 1 << 20;

    private static final System.Logger LOG = System.getLogger(PushOutbox.class.getName());

    private final TcpStream stream;
    private final TaskQueueHandle queue;
    /** What waits to be written; appended to by anyone, swapped out by the writer. */
    private RespWriter pending = new RespWriter(4096);
    /** The buffer the writer is writing (or the spare one). */
    private RespWriter writingBuffer = new RespWriter(4096);
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

    PushOutbox(TcpStream stream, TaskQueueHandle queue) {
        this.stream = stream;
        this.queue = queue;
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
        if ((long) pending.size() + len + (writing ? writingBuffer.size() : 0) > LIMIT_BYTES) {
            overflow();
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
    private void overflow() {
        closed = true;
        pending.clear();
        LOG.log(System.Logger.Level.WARNING, "closing a pub/sub client past its output limit of "
                + LIMIT_BYTES + " bytes");
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
                    if (w.array().length > KEEP_BYTES) {
                        writingBuffer = new RespWriter(4096);
                    } else {
                        w.clear();
                    }
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
