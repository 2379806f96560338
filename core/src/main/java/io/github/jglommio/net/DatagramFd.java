package io.github.jglommio.net;

import io.github.jglommio.reactor.IoBuffer;
import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Net;
import io.github.jglommio.sys.Sqe;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * What {@link UdpSocket} and {@link UnixDatagram} share: datagram send/recv/peek on the connected
 * peer ({@code IORING_OP_SEND/RECV}), addressed sends and sender-reporting receives
 * ({@code IORING_OP_SENDMSG/RECVMSG}), timeouts and buffer-size options. {@code A} is the address
 * type; subclasses encode and decode it. Its public methods are documented as members of those two
 * classes.
 */
abstract class DatagramFd<A> extends SocketFd implements AutoCloseable {

    DatagramFd(Reactor owner, int fd, String description) {
        super(owner, fd, description);
    }

    /** Encodes {@code address} as this family's sockaddr into {@code out}; returns its length. */
    abstract int encode(A address, MemorySegment out) throws IOException;

    /** Decodes a sender's sockaddr of {@code length} bytes. */
    abstract A decode(MemorySegment in, int length);

    /** The exception for a failed datagram call; UDP reports ECONNREFUSED as an unreachable port. */
    IOException error(int errno, String op, Object target) {
        return NetErrors.exception(errno, op, target);
    }

    private int check(int res, String op, Object target) throws IOException {
        if (res < 0) {
            throw error(-res, op, target);
        }
        return res;
    }

    // ---------------------------------------------------------------- connected peer

    /** {@code connect(2)}: it only records the peer (and filters receives), so it never blocks. */
    final void connectTo(A peer) throws IOException {
        Objects.requireNonNull(peer, "peer");
        check("connect");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(Net.SOCKADDR_STORAGE, 8);
            int len = encode(peer, sa);
            check(Net.connect(fd, sa, len), "connect", peer);
        }
    }

    /**
     * Sends {@code length} bytes of {@code b} from {@code offset} as one datagram to the connected
     * peer; returns the bytes sent (all of them: a datagram is never split).
     *
     * @throws IOException "EDESTADDRREQ" when not connected, "EMSGSIZE" when too large for one
     *                     datagram
     * @throws java.nio.channels.InterruptedByTimeoutException when a write timeout is set and elapsed
     */
    public int send(byte[] b, int offset, int length) throws IOException {
        check("send");
        return sendArray(b, offset, length, null);
    }

    /** Sends all of {@code b} as one datagram to the connected peer. */
    public int send(byte[] b) throws IOException {
        return send(b, 0, b.length);
    }

    /** Sends the remaining bytes of {@code src} as one datagram (in place when it is direct). */
    public int send(ByteBuffer src) throws IOException {
        check("send");
        return sendBuffer(src, null);
    }

    /**
     * Receives one datagram from the connected peer (or, unconnected, from anyone) into {@code b}:
     * parks until one arrives. Returns its length; a datagram longer than {@code length} is cut and
     * the rest discarded. 0 is an empty datagram, not an end of stream.
     *
     * @throws java.nio.channels.InterruptedByTimeoutException when a read timeout is set and elapsed
     */
    public int recv(byte[] b, int offset, int length) throws IOException {
        check("recv");
        return recvArray(b, offset, length, 0);
    }

    /** {@link #recv(byte[], int, int)} into all of {@code b}. */
    public int recv(byte[] b) throws IOException {
        return recv(b, 0, b.length);
    }

    /** Receives one datagram into {@code dst} (in place when it is direct); returns its length. */
    public int recv(ByteBuffer dst) throws IOException {
        check("recv");
        return recvBuffer(dst, 0);
    }

    /** Like {@link #recv(byte[], int, int)}, but the datagram stays queued (MSG_PEEK). */
    public int peek(byte[] b, int offset, int length) throws IOException {
        check("peek");
        return recvArray(b, offset, length, Net.MSG_PEEK);
    }

    /** {@link #peek(byte[], int, int)} into all of {@code b}. */
    public int peek(byte[] b) throws IOException {
        return peek(b, 0, b.length);
    }

    // ---------------------------------------------------------------- shared paths

    /** Sends from a heap array; to {@code to} with sendmsg, or to the connected peer when null. */
    final int sendArray(byte[] b, int offset, int length, A to) throws IOException {
        Objects.checkFromIndexSize(offset, length, b.length);
        IoBuffer buf = borrow(false, length);
        try {
            MemorySegment mem = buf.memory();
            MemorySegment.copy(b, offset, mem, JAVA_BYTE, 0, length);
            return sendNative(mem.address(), length, null, to);
        } finally {
            giveBack(false, buf);
        }
    }

    final int sendBuffer(ByteBuffer src, A to) throws IOException {
        int length = src.remaining();
        int n;
        if (src.isDirect()) {
            n = sendNative(MemorySegment.ofBuffer(src).address(), length, src, to);
        } else {
            IoBuffer buf = borrow(false, length);
            try {
                MemorySegment mem = buf.memory();
                MemorySegment.copy(MemorySegment.ofBuffer(src), 0, mem, 0, length);
                n = sendNative(mem.address(), length, null, to);
            } finally {
                giveBack(false, buf);
            }
        }
        src.position(src.position() + n);
        return n;
    }

    private int sendNative(long data, int length, Object keep, A to) throws IOException {
        if (to == null) {
            return check(op(Sqe.OP_SEND, data, length, 0, Net.MSG_NOSIGNAL, writeTimeoutNs, keep, "send"),
                    "send", description);
        }
        // The msghdr, iovec and destination live in a small block the kernel reads until the CQE.
        MemorySegment msg = owner.smallBlocks().allocate();
        try {
            int nameLength = encode(to, Net.msgName(msg));
            Net.prepareMsg(msg, data, length, nameLength);
            return check(op(Sqe.OP_SENDMSG, msg.address(), 1, 0, Net.MSG_NOSIGNAL, writeTimeoutNs, keep, "sendmsg"),
                    "sendmsg", to);
        } finally {
            owner.smallBlocks().free(msg);
        }
    }

    final int recvArray(byte[] b, int offset, int length, int flags) throws IOException {
        Objects.checkFromIndexSize(offset, length, b.length);
        IoBuffer buf = borrow(true, length);
        try {
            MemorySegment mem = buf.memory();
            int n = check(op(Sqe.OP_RECV, mem.address(), length, 0, flags, readTimeoutNs, null, "recv"),
                    "recv", description);
            MemorySegment.copy(mem, JAVA_BYTE, 0, b, offset, n);
            return n;
        } finally {
            giveBack(true, buf);
        }
    }

    final int recvBuffer(ByteBuffer dst, int flags) throws IOException {
        int length = dst.remaining();
        int n;
        if (dst.isDirect()) {
            long address = MemorySegment.ofBuffer(dst).address();
            n = check(op(Sqe.OP_RECV, address, length, 0, flags, readTimeoutNs, dst, "recv"), "recv", description);
        } else {
            IoBuffer buf = borrow(true, length);
            try {
                MemorySegment mem = buf.memory();
                n = check(op(Sqe.OP_RECV, mem.address(), length, 0, flags, readTimeoutNs, null, "recv"),
                        "recv", description);
                MemorySegment.copy(mem, 0, MemorySegment.ofBuffer(dst), 0, n);
            } finally {
                giveBack(true, buf);
            }
        }
        dst.position(dst.position() + n);
        return n;
    }

    /** recvmsg into a heap array, reporting the sender. */
    final Datagram<A> recvFromArray(byte[] b, int offset, int length, int flags) throws IOException {
        Objects.checkFromIndexSize(offset, length, b.length);
        IoBuffer buf = borrow(true, length);
        MemorySegment msg = owner.smallBlocks().allocate();
        try {
            MemorySegment mem = buf.memory();
            int n = recvMsg(msg, mem.address(), length, null, flags);
            MemorySegment.copy(mem, JAVA_BYTE, 0, b, offset, n);
            return datagram(msg, n);
        } finally {
            owner.smallBlocks().free(msg);
            giveBack(true, buf);
        }
    }

    final Datagram<A> recvFromBuffer(ByteBuffer dst, int flags) throws IOException {
        int length = dst.remaining();
        MemorySegment msg = owner.smallBlocks().allocate();
        try {
            int n;
            if (dst.isDirect()) {
                n = recvMsg(msg, MemorySegment.ofBuffer(dst).address(), length, dst, flags);
            } else {
                IoBuffer buf = borrow(true, length);
                try {
                    MemorySegment mem = buf.memory();
                    n = recvMsg(msg, mem.address(), length, null, flags);
                    MemorySegment.copy(mem, 0, MemorySegment.ofBuffer(dst), 0, n);
                } finally {
                    giveBack(true, buf);
                }
            }
            dst.position(dst.position() + n);
            return datagram(msg, n);
        } finally {
            owner.smallBlocks().free(msg);
        }
    }

    private int recvMsg(MemorySegment msg, long data, int length, Object keep, int flags) throws IOException {
        Net.prepareMsg(msg, data, length, Net.SOCKADDR_STORAGE);
        return check(op(Sqe.OP_RECVMSG, msg.address(), 1, 0, flags, readTimeoutNs, keep, "recvmsg"),
                "recvmsg", description);
    }

    private Datagram<A> datagram(MemorySegment msg, int n) {
        // The kernel wrote the sender and its length, and msg_flags, back into the msghdr.
        A from = decode(Net.msgName(msg), Net.msgNameLength(msg));
        return new Datagram<>(n, from, (Net.msgFlags(msg) & Net.MSG_TRUNC) != 0);
    }

    // ---------------------------------------------------------------- options

    /**
     * A receive that waits longer than {@code timeout} fails with
     * {@link java.nio.channels.InterruptedByTimeoutException} (the socket stays usable); null or zero:
     * no timeout.
     *
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public void setReadTimeout(Duration timeout) {
        readTimeoutNs = timeoutNs(timeout, "read timeout");
    }

    /** As {@link #setReadTimeout} for sends (which wait only while the socket's send buffer is full). */
    public void setWriteTimeout(Duration timeout) {
        writeTimeoutNs = timeoutNs(timeout, "write timeout");
    }

    /**
     * Asks for a kernel send buffer of {@code bytes} ({@code SO_SNDBUF}); the kernel doubles the value
     * for its bookkeeping and caps it at {@code net.core.wmem_max}.
     */
    public void setSendBufferSize(int bytes) throws IOException {
        check("setSendBufferSize");
        if (bytes <= 0) {
            throw new IllegalArgumentException("send buffer size must be positive, got " + bytes);
        }
        setOption(Net.SOL_SOCKET, Net.SO_SNDBUF, bytes, "SO_SNDBUF");
    }

    /** The kernel send buffer size ({@code SO_SNDBUF}, as the kernel reports it: doubled). */
    public int sendBufferSize() throws IOException {
        check("sendBufferSize");
        return getOption(Net.SOL_SOCKET, Net.SO_SNDBUF, "SO_SNDBUF");
    }

    /**
     * Asks for a kernel receive buffer of {@code bytes} ({@code SO_RCVBUF}): datagrams arriving while it
     * is full are dropped. The kernel doubles the value and caps it at {@code net.core.rmem_max}.
     */
    public void setRecvBufferSize(int bytes) throws IOException {
        check("setRecvBufferSize");
        if (bytes <= 0) {
            throw new IllegalArgumentException("receive buffer size must be positive, got " + bytes);
        }
        setOption(Net.SOL_SOCKET, Net.SO_RCVBUF, bytes, "SO_RCVBUF");
    }

    /** The kernel receive buffer size ({@code SO_RCVBUF}, as the kernel reports it: doubled). */
    public int recvBufferSize() throws IOException {
        check("recvBufferSize");
        return getOption(Net.SOL_SOCKET, Net.SO_RCVBUF, "SO_RCVBUF");
    }

    /** False once {@link #close()} ran. */
    public boolean isOpen() {
        return !isClosed();
    }

    /**
     * Closes the socket; tasks parked on it get {@link java.nio.channels.AsynchronousCloseException}.
     * Idempotent. Owner-executor tasks only ({@link WrongThreadException}).
     */
    @Override
    public void close() throws IOException {
        closeFd();
    }
}
