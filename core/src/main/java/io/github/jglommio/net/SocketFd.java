package io.github.jglommio.net;

import io.github.jglommio.reactor.IoBuffer;
import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;
import io.github.jglommio.sys.Sqe;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The plumbing every socket shares: the fd, the owning executor, per-socket I/O buffers (one for
 * receiving, one for sending, reused across operations), timeouts as linked {@code LINK_TIMEOUT}s,
 * and a close that cancels parked operations and frees the buffers only once the kernel has returned
 * them. Owner thread only.
 */
class SocketFd {

    private static final int MAX_BUFFER = 64 << 10;

    final Reactor owner;
    final int fd;
    final String description;
    private boolean closed;
    private int inflight;
    private IoBuffer recvBuffer;
    private IoBuffer sendBuffer;
    /** One small block: [0,16) read timeout, [16,32) write timeout, [64,192) a socket address. */
    private final MemorySegment block;
    private final MemorySegment readTimespec;
    private final MemorySegment writeTimespec;
    final MemorySegment sockaddr;
    long readTimeoutNs;
    long writeTimeoutNs;

    SocketFd(Reactor owner, int fd, String description) {
        this.owner = owner;
        this.fd = fd;
        this.description = description;
        this.block = owner.smallBlocks().allocate();
        this.readTimespec = block.asSlice(0, 16);
        this.writeTimespec = block.asSlice(16, 16);
        this.sockaddr = block.asSlice(64, Net.SOCKADDR_STORAGE);
    }

    static Reactor reactor(String what) {
        Reactor r = Reactor.current();
        if (r == null) {
            throw new IllegalStateException(what + " must be called from a jglommio task, not from "
                    + Thread.currentThread());
        }
        return r;
    }

    final void check(String what) throws ClosedChannelException {
        if (Reactor.current() != owner) {
            throw new WrongThreadException(what + " must be called from a task of the executor that created "
                    + description + "; it was called from " + Thread.currentThread());
        }
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    boolean isClosed() {
        return closed;
    }

    static long timeoutNs(Duration d, String what) {
        if (d == null || d.isZero()) {
            return 0;
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
        return d.toNanos();
    }

    /** A buffer of at least {@code len} bytes (capped at 64 KiB) reused for this direction. */
    private IoBuffer buffer(boolean recv, int len) {
        int want = Math.max(4096, Math.min(len, MAX_BUFFER));
        IoBuffer b = recv ? recvBuffer : sendBuffer;
        if (b == null || b.memory().byteSize() < want) {
            if (b != null && inflight == 0) {
                b.release();
            }
            b = owner.buffers().allocate(want);
            if (recv) {
                recvBuffer = b;
            } else {
                sendBuffer = b;
            }
        }
        return b;
    }

    int bufferCapacity(boolean recv, int len) {
        return (int) Math.min(len, buffer(recv, len).memory().byteSize());
    }

    MemorySegment bufferMemory(boolean recv, int len) {
        return buffer(recv, len).memory();
    }

    /**
     * One operation on this socket with an optional linked timeout; returns {@code cqe.res}. Maps a
     * timeout to {@link InterruptedByTimeoutException} and a close under the operation to
     * {@link AsynchronousCloseException}.
     */
    int op(byte opcode, long addr, int len, long off, int opFlags, long timeoutNs, Object keepAlive, String name)
            throws IOException {
        MemorySegment ts = null;
        if (timeoutNs > 0) {
            ts = opcode == Sqe.OP_SEND || opcode == Sqe.OP_SEND_ZC ? writeTimespec : readTimespec;
            ts.set(JAVA_LONG, 0, timeoutNs / 1_000_000_000L);
            ts.set(JAVA_LONG, 8, timeoutNs % 1_000_000_000L);
            owner.ensureSqeRoom(2);
        }
        int slot = owner.newOperation(keepAlive);
        long sqe = owner.prepare(slot, opcode, fd, addr, len, off);
        if (opFlags != 0) {
            Sqe.opFlags(owner.sqes(), sqe, opFlags);
        }
        if (ts != null) {
            owner.linkTimeout(sqe, ts);
        }
        inflight++;
        int res;
        try {
            res = owner.await(slot);
        } finally {
            inflight--;
            if (closed && inflight == 0) {
                releaseBuffers();
            }
        }
        if (res == -Errno.ECANCELED) {
            if (closed) {
                throw new AsynchronousCloseException();
            }
            if (timeoutNs > 0) {
                throw new InterruptedByTimeoutException();
            }
        }
        return res;
    }

    InetSocketAddress address(boolean peer) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment storage = a.allocate(Net.SOCKADDR_STORAGE, 8);
            NetErrors.check(Net.name(fd, peer, storage), peer ? "getpeername" : "getsockname", description);
            return Net.decode(storage);
        }
    }

    void setOption(int level, int option, int value, String what) throws IOException {
        NetErrors.check(Net.setInt(fd, level, option, value), "setsockopt " + what, description);
    }

    int getOption(int level, int option, String what) throws IOException {
        return NetErrors.check(Net.getInt(fd, level, option), "getsockopt " + what, description);
    }

    private void releaseBuffers() {
        owner.smallBlocks().free(block);
        if (recvBuffer != null) {
            recvBuffer.release();
            recvBuffer = null;
        }
        if (sendBuffer != null) {
            sendBuffer.release();
            sendBuffer = null;
        }
    }

    /**
     * Closes the socket: cancels operations parked on it (their tasks get
     * {@link AsynchronousCloseException}), closes the fd, and frees the buffers once no operation holds
     * them. Idempotent.
     */
    void closeFd() throws IOException {
        if (closed) {
            return;
        }
        if (Reactor.current() != owner) {
            throw new WrongThreadException("close must be called from a task of the executor that created " + description);
        }
        closed = true;
        if (inflight > 0) {
            owner.cancelAllOnFd(fd);
        } else {
            releaseBuffers();
        }
        int res = owner.submitAndAwait(Sqe.OP_CLOSE, fd, 0, 0, 0, 0, null);
        NetErrors.check(res, "close", description);
    }
}
