package io.github.jglommio.net;

import io.github.jglommio.reactor.IoBuffer;
import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;
import io.github.jglommio.sys.Sqe;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.file.Path;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The plumbing every socket shares: the fd, the owning executor, per-socket I/O buffers (one for
 * receiving, one for sending, reused across operations and lent to one operation at a time),
 * timeouts as linked {@code LINK_TIMEOUT}s, and a close that cancels parked operations and frees the
 * buffers only once the kernel has returned them. Owner thread only.
 */
class SocketFd {

    private static final int MIN_BUFFER = 4096;

    final Reactor owner;
    final int fd;
    final String description;
    private boolean closed;
    private int inflight;
    private boolean released;
    private IoBuffer recvBuffer;
    private IoBuffer sendBuffer;
    private boolean recvLent;
    private boolean sendLent;
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

    /**
     * Lends this direction's reusable buffer, grown to at least {@code size} bytes, to the calling
     * task for one operation; {@link #giveBack} returns it after the CQE. While another task of this
     * socket holds it (two receivers at once, say), the caller gets a buffer of its own from the pool,
     * so concurrent operations never share memory.
     */
    IoBuffer borrow(boolean recv, int size) {
        int want = Math.max(MIN_BUFFER, size);
        if (recv ? recvLent : sendLent) {
            return owner.buffers().allocate(want);
        }
        IoBuffer b = recv ? recvBuffer : sendBuffer;
        if (b == null || b.memory().byteSize() < want) {
            if (b != null) {
                b.release();
            }
            b = owner.buffers().allocate(want);
        }
        if (recv) {
            recvBuffer = b;
            recvLent = true;
        } else {
            sendBuffer = b;
            sendLent = true;
        }
        return b;
    }

    /** Ends a {@link #borrow}; frees the buffer if it was a private one or the socket is closed. */
    void giveBack(boolean recv, IoBuffer b) {
        if (b != (recv ? recvBuffer : sendBuffer)) {
            b.release();
            return;
        }
        if (recv) {
            recvLent = false;
        } else {
            sendLent = false;
        }
        if (released) {
            b.release();
            if (recv) {
                recvBuffer = null;
            } else {
                sendBuffer = null;
            }
        }
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
            boolean write = opcode == Sqe.OP_SEND || opcode == Sqe.OP_SEND_ZC || opcode == Sqe.OP_SENDMSG;
            ts = write ? writeTimespec : readTimespec;
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
            return plain(Net.decode(storage));
        }
    }

    /**
     * The address as the JDK's own sockets report it: an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d},
     * a dual-stack socket's IPv4 peer) as the IPv4 address, and no {@code %0} on an unscoped IPv6 one.
     */
    static InetSocketAddress plain(InetSocketAddress a) {
        if (a == null || !(a.getAddress() instanceof Inet6Address v6) || v6.getScopeId() != 0) {
            return a;
        }
        try {
            // getByAddress(byte[16]) turns a mapped address into an Inet4Address and sets no scope.
            return new InetSocketAddress(InetAddress.getByAddress(v6.getAddress()), a.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The local or peer path of a Unix socket; an empty path when that end is unnamed. */
    Path unixAddress(boolean peer) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment storage = a.allocate(Net.SOCKADDR_STORAGE, 8);
            int len = NetErrors.check(Net.name(fd, peer, storage), peer ? "getpeername" : "getsockname", description);
            return Path.of(Net.decodeUnix(storage, len));
        }
    }

    void setOption(int level, int option, int value, String what) throws IOException {
        NetErrors.check(Net.setInt(fd, level, option, value), "setsockopt " + what, description);
    }

    int getOption(int level, int option, String what) throws IOException {
        return NetErrors.check(Net.getInt(fd, level, option), "getsockopt " + what, description);
    }

    /** Frees the small block and the idle buffers; a lent buffer is freed by its {@link #giveBack}. */
    private void releaseBuffers() {
        if (released) {
            return;
        }
        released = true;
        owner.smallBlocks().free(block);
        if (recvBuffer != null && !recvLent) {
            recvBuffer.release();
            recvBuffer = null;
        }
        if (sendBuffer != null && !sendLent) {
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
        int res = owner.submitUninterruptibly(Sqe.OP_CLOSE, fd, 0, 0, 0, 0, null);
        NetErrors.check(res, "close", description);
    }
}
