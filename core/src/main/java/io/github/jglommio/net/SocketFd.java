package io.github.jglommio.net;

import io.github.jglommio.reactor.IoBuffer;
import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;
import io.github.jglommio.sys.Sqe;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.time.Duration;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The plumbing every socket shares: the fd, the owning executor, per-socket I/O buffers (one for
 * receiving, one for sending, reused across operations and lent to one operation at a time),
 * timeouts as linked {@code LINK_TIMEOUT}s, the copy between the caller's memory and those buffers,
 * socket options and names, and a close that cancels parked operations and frees the buffers only
 * once the kernel has returned them. {@code A} is the address type ({@link AddressFamily}). Owner
 * thread only; its public methods are documented as members of the public socket types.
 */
class SocketFd<A> {

    private static final int MIN_BUFFER = 4096;

    final Reactor owner;
    final int fd;
    final AddressFamily<A> family;
    final String description;
    private boolean closed;
    /** Operations of this socket the kernel holds (counted so a close can cancel them and free buffers last). */
    int inflight;
    private boolean released;
    private IoBuffer recvBuffer;
    private IoBuffer sendBuffer;
    private boolean recvLent;
    private boolean sendLent;
    /** One small block: [0,16) read timeout, [16,32) write timeout, [64,192) a socket address. */
    private final MemorySegment block;
    private final MemorySegment readTimespec;
    private final MemorySegment writeTimespec;
    /** The sockaddr for bind(2), connect(2) and a stream's {@code IORING_OP_CONNECT} (read until its CQE). */
    final MemorySegment sockaddr;
    long readTimeoutNs;
    long writeTimeoutNs;

    SocketFd(Reactor owner, int fd, AddressFamily<A> family, String description) {
        this.owner = owner;
        this.fd = fd;
        this.family = family;
        this.description = description;
        this.block = owner.smallBlocks().allocate();
        this.readTimespec = block.asSlice(0, 16);
        this.writeTimespec = block.asSlice(16, 16);
        this.sockaddr = block.asSlice(64, Net.SOCKADDR_STORAGE);
    }

    // ---------------------------------------------------------------- checks and errors

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

    /** The exception for a failed send or receive; UDP reports ECONNREFUSED as an unreachable port. */
    IOException error(int errno, String op, Object target) {
        return NetErrors.exception(errno, op, target);
    }

    /** {@code res}, or the {@link #error} it stands for when negative. */
    final int checkResult(int res, String op, Object target) throws IOException {
        if (res < 0) {
            throw error(-res, op, target);
        }
        return res;
    }

    /** Writes {@code address} as this family's sockaddr into {@code out}; returns its length. */
    int encode(A address, MemorySegment out) throws IOException {
        return family.encode(address, out);
    }

    // ---------------------------------------------------------------- buffers and operations

    /**
     * Lends this direction's reusable buffer, grown to at least {@code size} bytes, to the calling
     * task for one operation; {@link #giveBack} returns it after the CQE. While another task of this
     * socket holds it (two receivers at once, say), the caller gets a buffer of its own from the pool,
     * so concurrent operations never share memory.
     */
    final IoBuffer borrow(boolean recv, int size) {
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
    final void giveBack(boolean recv, IoBuffer b) {
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

    /**
     * Receives at most {@code length} bytes into native memory at {@code address}: {@code recv}, or,
     * when {@code msg} is a message block, {@code recvmsg} with the sender written into it. Returns
     * the byte count.
     */
    private int recvNative(long address, int length, Object keep, int flags, MemorySegment msg) throws IOException {
        if (msg == null) {
            return checkResult(op(Sqe.OP_RECV, address, length, 0, flags, readTimeoutNs, keep, "recv"),
                    "recv", description);
        }
        Net.prepareMsg(msg, address, length, Net.SOCKADDR_STORAGE);
        return checkResult(op(Sqe.OP_RECVMSG, msg.address(), 1, 0, flags, readTimeoutNs, keep, "recvmsg"),
                "recvmsg", description);
    }

    /**
     * Sends {@code length} bytes of native memory at {@code address}: {@code send} to the connected
     * peer, or {@code sendmsg} to {@code to} when it is not null. Returns the bytes the kernel took.
     */
    int sendNative(long address, int length, Object keep, A to) throws IOException {
        if (to == null) {
            return checkResult(op(Sqe.OP_SEND, address, length, 0, Net.MSG_NOSIGNAL, writeTimeoutNs, keep, "send"),
                    "send", description);
        }
        // The msghdr, iovec and destination live in a small block the kernel reads until the CQE.
        MemorySegment msg = owner.smallBlocks().allocate();
        try {
            int nameLength = encode(to, Net.msgName(msg));
            Net.prepareMsg(msg, address, length, nameLength);
            return checkResult(op(Sqe.OP_SENDMSG, msg.address(), 1, 0, Net.MSG_NOSIGNAL, writeTimeoutNs, keep,
                    "sendmsg"), "sendmsg", to);
        } finally {
            owner.smallBlocks().free(msg);
        }
    }

    /**
     * {@link #recvNative} into {@code b} from {@code offset}, through this socket's receive buffer: at
     * most {@code min(length, chunk)} bytes.
     */
    final int recvCopy(byte[] b, int offset, int length, int chunk, int flags, MemorySegment msg) throws IOException {
        IoBuffer buf = borrow(true, Math.min(length, chunk));
        try {
            MemorySegment mem = buf.memory();
            int n = recvNative(mem.address(), (int) Math.min(length, mem.byteSize()), null, flags, msg);
            MemorySegment.copy(mem, JAVA_BYTE, 0, b, offset, n);
            return n;
        } finally {
            giveBack(true, buf);
        }
    }

    /**
     * {@link #recvNative} into the remaining bytes of {@code dst}: in place when it is direct, else
     * through the receive buffer (at most {@code chunk} bytes). Advances its position by the count.
     */
    final int recvInto(ByteBuffer dst, int chunk, int flags, MemorySegment msg) throws IOException {
        int length = dst.remaining();
        int n;
        if (dst.isDirect()) {
            n = recvNative(MemorySegment.ofBuffer(dst).address(), length, dst, flags, msg);
        } else {
            IoBuffer buf = borrow(true, Math.min(length, chunk));
            try {
                MemorySegment mem = buf.memory();
                n = recvNative(mem.address(), (int) Math.min(length, mem.byteSize()), null, flags, msg);
                MemorySegment.copy(mem, 0, MemorySegment.ofBuffer(dst), 0, n);
            } finally {
                giveBack(true, buf);
            }
        }
        dst.position(dst.position() + n);
        return n;
    }

    /**
     * {@link #sendNative} of {@code b} from {@code offset}, copied into this socket's send buffer: at
     * most {@code min(length, chunk)} bytes.
     */
    final int sendCopy(byte[] b, int offset, int length, int chunk, A to) throws IOException {
        IoBuffer buf = borrow(false, Math.min(length, chunk));
        try {
            MemorySegment mem = buf.memory();
            int cap = (int) Math.min(length, mem.byteSize());
            MemorySegment.copy(b, offset, mem, JAVA_BYTE, 0, cap);
            return sendNative(mem.address(), cap, null, to);
        } finally {
            giveBack(false, buf);
        }
    }

    /**
     * {@link #sendNative} of the remaining bytes of {@code src}: in place when it is direct, else
     * through the send buffer (at most {@code chunk} bytes). Advances its position by the count.
     */
    final int sendFrom(ByteBuffer src, int chunk, A to) throws IOException {
        int length = src.remaining();
        int n;
        if (src.isDirect()) {
            n = sendNative(MemorySegment.ofBuffer(src).address(), length, src, to);
        } else {
            IoBuffer buf = borrow(false, Math.min(length, chunk));
            try {
                MemorySegment mem = buf.memory();
                int cap = (int) Math.min(length, mem.byteSize());
                MemorySegment.copy(MemorySegment.ofBuffer(src), 0, mem, 0, cap);
                n = sendNative(mem.address(), cap, null, to);
            } finally {
                giveBack(false, buf);
            }
        }
        src.position(src.position() + n);
        return n;
    }

    // ---------------------------------------------------------------- addresses and options

    /** {@code bind(2)} to {@code address}. */
    final void bindTo(A address) throws IOException {
        int res = Net.bind(fd, sockaddr, encode(address, sockaddr));
        if (res < 0) {
            throw family.bindError(-res, address);
        }
    }

    /** This end's ({@code peer} false) or the peer's address, unchecked. */
    final A name(boolean peer) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment storage = a.allocate(Net.SOCKADDR_STORAGE, 8);
            int len = NetErrors.check(Net.name(fd, peer, storage), peer ? "getpeername" : "getsockname", description);
            return family.decode(storage, len);
        }
    }

    /**
     * This end's address (getsockname): for an IP socket bound to port 0, with the actual port; for a
     * Unix socket, its path, empty when unnamed.
     */
    public A localAddr() throws IOException {
        check("localAddr");
        return name(false);
    }

    /**
     * The peer's address (getpeername); for a Unix socket, its path, empty when the peer is unnamed.
     *
     * @throws java.net.SocketException "ENOTCONN" when not connected
     */
    public A peerAddr() throws IOException {
        check("peerAddr");
        return name(true);
    }

    /** Sets {@code option} for the public call {@code what}, after checking the value's range. */
    final void setOption(String what, IntOption option, int value) throws IOException {
        check(what);
        option.requireValid(value);
        setOption(option, value);
    }

    /** Sets {@code option} without the owner and range checks: for a socket being set up. */
    final void setOption(IntOption option, int value) throws IOException {
        NetErrors.check(Net.setInt(fd, option.level, option.option, value), "setsockopt " + option, description);
    }

    /** Reads {@code option} for the public call {@code what}. */
    final int getOption(String what, IntOption option) throws IOException {
        check(what);
        return NetErrors.check(Net.getInt(fd, option.level, option.option), "getsockopt " + option, description);
    }

    // ---------------------------------------------------------------- closing

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

    /** False once {@link #close()} ran. */
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Closes the socket: tasks parked on it get {@link AsynchronousCloseException}, the fd is closed,
     * and the socket's buffers are freed once no operation holds them. Idempotent. Owner-executor
     * tasks only ({@link WrongThreadException}).
     */
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (Reactor.current() != owner) {
            throw new WrongThreadException("close must be called from a task of the executor that created " + description);
        }
        Exception before = null;
        try {
            beforeClose();
        } catch (IOException | RuntimeException e) {
            before = e; // the fd is closed all the same; the failure is reported below
        }
        closed = true;
        if (inflight > 0) {
            owner.cancelAllOnFd(fd);
        } else {
            releaseBuffers();
        }
        int res = owner.submitUninterruptibly(Sqe.OP_CLOSE, fd, 0, 0, 0, 0, null);
        if (before instanceof IOException e) {
            throw e;
        } else if (before != null) {
            throw (RuntimeException) before;
        }
        NetErrors.check(res, "close", description);
    }

    /** Runs at the start of {@link #close()}, socket still open: a stream finishes its write-behind send. */
    void beforeClose() throws IOException {
    }

    /** Frees the buffers when the socket is closed and nothing is in flight any more. */
    final void releaseIfIdle() {
        if (closed && inflight == 0) {
            releaseBuffers();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + description + "]";
    }
}
