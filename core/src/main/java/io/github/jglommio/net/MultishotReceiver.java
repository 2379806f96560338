package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.BufferRing;
import io.github.jglommio.sys.Cqe;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Sqe;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.InterruptedByTimeoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The receive side of a stream socket on one multishot {@code IORING_OP_RECV} with buffers from the
 * executor's {@link BufferRing}: once armed, the kernel posts a completion for every chunk of data
 * that arrives, without an SQE per read; a read that finds data queued copies it out without parking.
 *
 * <p>Data arrives into ring buffers that stay queued here, in order, until the reader has copied them
 * out; then they go back to the kernel. So that one slow reader cannot hold the whole ring, a socket
 * with {@link #MAX_QUEUED} buffers queued cancels its receive and re-arms once the reader drained them.
 * When the ring runs dry ({@code ENOBUFS} ends the multishot) and nothing is queued, a read falls back
 * to one plain receive into the socket's own buffer, so progress never depends on other sockets.
 *
 * <p>Threading: the owning executor only: completions arrive from its loop, reads from its tasks.
 * Several tasks may read at once: they are served in the order they started waiting.
 */
final class MultishotReceiver implements Reactor.MultishotHandler {

    /** What {@link #read} returns when the ring ran dry: the caller does one plain receive. */
    static final int RING_DRY = -2;

    /** Buffers one socket may hold before its receive is paused. */
    static final int MAX_QUEUED = 16;

    private final StreamSocket<?> socket;
    private final Reactor owner;
    private final BufferRing ring;
    /**
     * Queued buffers, ids and byte counts, in a power-of-two ring: completions that arrive before a
     * pausing cancel takes effect can push it past MAX_QUEUED, so it grows.
     */
    private int[] ids = new int[32];
    private int[] lengths = new int[32];
    private int mask = 31;
    private int head;
    private int count;
    /** Bytes of the head buffer already read. */
    private int headOffset;
    private int multishotId = -1;
    private boolean armed;
    private boolean eof;
    private int errno;
    /** The multishot ended for lack of buffers with nothing queued: the next read uses a plain receive. */
    private boolean starved;
    private boolean closed;
    /** Tasks parked for data, first come first served; usually one. */
    private final java.util.ArrayDeque<Thread> waiters = new java.util.ArrayDeque<>(2);

    MultishotReceiver(StreamSocket<?> socket, Reactor owner, BufferRing ring) {
        this.socket = socket;
        this.owner = owner;
        this.ring = ring;
    }

    /**
     * Copies up to {@code length} queued bytes into {@code dst} from {@code offset} ({@code dst} is a
     * {@code byte[]} or a {@link MemorySegment}; the bytes stay queued when {@code peek}), parking until
     * some arrive; 0 at end of stream, {@link #RING_DRY} when the ring ran dry (the caller then does
     * one plain receive). {@code timeoutNs} 0 waits forever.
     */
    int read(Object dst, long offset, int length, boolean peek, long timeoutNs) throws IOException {
        if (count == 0 && !awaitData(timeoutNs)) {
            if (starved) {
                starved = false;
                return RING_DRY;
            }
            return 0;
        }
        int done = 0;
        int h = head;
        int off = headOffset;
        int left = count;
        while (done < length && left > 0) {
            int bid = ids[h];
            int n = Math.min(length - done, lengths[h] - off);
            long from = (long) bid * ring.bufferSize() + off;
            if (dst instanceof byte[] b) {
                MemorySegment.copy(ring.memory(), JAVA_BYTE, from, b, (int) offset + done, n);
            } else {
                MemorySegment.copy(ring.memory(), from, (MemorySegment) dst, offset + done, n);
            }
            done += n;
            off += n;
            if (off == lengths[h]) {
                if (!peek) {
                    ring.recycle(bid);
                    count--;
                    head = (h + 1) & mask;
                    headOffset = 0;
                }
                h = (h + 1) & mask;
                off = 0;
                left--;
            } else if (!peek) {
                headOffset = off;
            }
        }
        if (!peek && !armed && count == 0 && !eof && errno == 0 && !closed) {
            arm(); // paused for back-pressure: drained, so listen again
        }
        if (count > 0 && !waiters.isEmpty()) {
            LockSupport.unpark(waiters.peekFirst()); // data left over: the next reader's turn
        }
        return done;
    }

    /**
     * Waits until a buffer is queued; false at end of stream or when starved ({@link #starved}).
     * Throws the receive's error, {@link AsynchronousCloseException} when closed,
     * {@link InterruptedByTimeoutException} after {@code timeoutNs}.
     */
    private boolean awaitData(long timeoutNs) throws IOException {
        long deadline = timeoutNs > 0 ? System.nanoTime() + timeoutNs : 0;
        Thread me = Thread.currentThread();
        while (count == 0) {
            if (closed) {
                throw new AsynchronousCloseException();
            }
            if (errno != 0) {
                int e = errno;
                errno = 0; // reported once; the next read re-arms (and meets the error again if it stays)
                throw socket.error(e, "recv", socket.description);
            }
            if (eof || starved) {
                return false;
            }
            if (!armed) {
                arm();
            }
            long left = deadline == 0 ? 0 : deadline - System.nanoTime();
            if (deadline != 0 && left <= 0) {
                throw new InterruptedByTimeoutException();
            }
            waiters.addLast(me);
            if (deadline == 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, left);
            }
            waiters.remove(me);
            if (me.isInterrupted()) {
                throw new CancellationException("task was cancelled while reading " + socket.description);
            }
        }
        return true;
    }

    private void arm() {
        armed = true;
        multishotId = owner.submitMultishot(Sqe.OP_RECV, socket.fd, 0, 0, 0, 0, Sqe.RECV_MULTISHOT,
                Sqe.FLAG_BUFFER_SELECT, ring.groupId(), this);
    }

    @Override
    public void onCompletion(int res, int flags, boolean more) {
        if (!more) {
            armed = false;
        }
        if ((flags & Cqe.F_BUFFER) != 0) {
            int bid = BufferRing.bufferId(flags);
            if (res > 0 && !closed) {
                if (count == ids.length) {
                    grow();
                }
                int tail = (head + count) & mask;
                ids[tail] = bid;
                lengths[tail] = res;
                count++;
                if (count >= MAX_QUEUED && armed) {
                    owner.cancelMultishot(multishotId); // back-pressure: resumes when drained
                }
            } else {
                ring.recycle(bid);
            }
        }
        if (res == 0) {
            eof = true;
        } else if (res == -Errno.ENOBUFS) {
            starved = count == 0;
        } else if (res < 0 && res != -Errno.ECANCELED) {
            errno = -res;
        }
        if (res > 0 && more) {
            Thread first = waiters.peekFirst(); // data: the longest waiting reader takes it
            if (first != null) {
                LockSupport.unpark(first);
            }
        } else {
            wakeAll(); // an end, an error or a pause: every reader re-checks
        }
    }

    private void grow() {
        int n = ids.length * 2;
        int[] newIds = new int[n];
        int[] newLengths = new int[n];
        for (int i = 0; i < count; i++) {
            newIds[i] = ids[(head + i) & mask];
            newLengths[i] = lengths[(head + i) & mask];
        }
        ids = newIds;
        lengths = newLengths;
        mask = n - 1;
        head = 0;
    }

    /** Stops receiving: cancels the receive, gives the queued buffers back, wakes a parked reader. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (armed) {
            owner.cancelMultishot(multishotId);
        }
        while (count > 0) {
            ring.recycle(ids[head]);
            head = (head + 1) & mask;
            count--;
        }
        wakeAll();
    }

    private void wakeAll() {
        for (Thread t : waiters.toArray(new Thread[0])) {
            LockSupport.unpark(t);
        }
    }
}
