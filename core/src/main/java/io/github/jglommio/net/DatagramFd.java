package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Net;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link UdpSocket} and {@link UnixDatagram} share: datagram send/recv/peek on the connected
 * peer ({@code IORING_OP_SEND/RECV}), addressed sends and sender-reporting receives
 * ({@code IORING_OP_SENDMSG/RECVMSG}), timeouts and buffer-size options. {@code A} is the address
 * type. Its public methods are documented as members of those two classes.
 */
abstract class DatagramFd<A> extends SocketFd<A> implements AutoCloseable {

    /** A datagram is never split: it moves through the socket's buffer whole, however large. */
    private static final int WHOLE = Integer.MAX_VALUE;

    DatagramFd(Reactor owner, int fd, AddressFamily<A> family, String description) {
        super(owner, fd, family, description);
    }

    // ---------------------------------------------------------------- connected peer

    /**
     * Sets the peer: {@link #send(byte[])} goes there and {@link #recv(byte[])} only returns its
     * datagrams. A plain {@code connect(2)}: nothing is sent and it never blocks. Call again to change
     * the peer.
     *
     * @throws IOException for a Unix socket, "ENOENT" when nothing is bound at {@code peer},
     *                     "ECONNREFUSED" when the socket file is stale
     */
    public void connect(A peer) throws IOException {
        Objects.requireNonNull(peer, "peer");
        check("connect");
        checkResult(Net.connect(fd, sockaddr, encode(peer, sockaddr)), "connect", peer);
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
        return sendFrom(src, WHOLE, null);
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
        Objects.checkFromIndexSize(offset, length, b.length);
        return recvCopy(b, offset, length, WHOLE, 0, null);
    }

    /** {@link #recv(byte[], int, int)} into all of {@code b}. */
    public int recv(byte[] b) throws IOException {
        return recv(b, 0, b.length);
    }

    /** Receives one datagram into {@code dst} (in place when it is direct); returns its length. */
    public int recv(ByteBuffer dst) throws IOException {
        check("recv");
        return recvInto(dst, WHOLE, 0, null);
    }

    /** Like {@link #recv(byte[], int, int)}, but the datagram stays queued (MSG_PEEK). */
    public int peek(byte[] b, int offset, int length) throws IOException {
        check("peek");
        Objects.checkFromIndexSize(offset, length, b.length);
        return recvCopy(b, offset, length, WHOLE, Net.MSG_PEEK, null);
    }

    /** {@link #peek(byte[], int, int)} into all of {@code b}. */
    public int peek(byte[] b) throws IOException {
        return peek(b, 0, b.length);
    }

    // ---------------------------------------------------------------- addressed

    /**
     * Sends {@code length} bytes of {@code b} from {@code offset} as one datagram to {@code to};
     * returns the bytes sent. A Unix socket waits while the receiver's queue is full.
     *
     * @throws IOException "EMSGSIZE" when larger than a datagram can be; for UDP, "EACCES" for a
     *                     broadcast address without {@link UdpSocket#setBroadcast}; for a Unix
     *                     socket, "ENOENT" when nothing is bound at {@code to}, "ECONNREFUSED" when
     *                     the socket file is stale
     * @throws java.nio.channels.InterruptedByTimeoutException when a write timeout is set and elapsed
     */
    public int sendTo(byte[] b, int offset, int length, A to) throws IOException {
        check("sendTo");
        return sendArray(b, offset, length, Objects.requireNonNull(to, "to"));
    }

    /** Sends all of {@code b} as one datagram to {@code to}. */
    public int sendTo(byte[] b, A to) throws IOException {
        return sendTo(b, 0, b.length, to);
    }

    /** Sends the remaining bytes of {@code src} (in place when direct) as one datagram to {@code to}. */
    public int sendTo(ByteBuffer src, A to) throws IOException {
        check("sendTo");
        return sendFrom(src, WHOLE, Objects.requireNonNull(to, "to"));
    }

    /**
     * Receives one datagram into {@code b} from {@code offset}, parking until one arrives; returns its
     * length, its sender (for a Unix socket, the sender's path: empty when the sender is unbound) and
     * whether it was cut to fit {@code length}.
     *
     * @throws java.nio.channels.InterruptedByTimeoutException when a read timeout is set and elapsed
     */
    public Datagram<A> recvFrom(byte[] b, int offset, int length) throws IOException {
        check("recvFrom");
        return recvFromArray(b, offset, length, 0);
    }

    /** {@link #recvFrom(byte[], int, int)} into all of {@code b}. */
    public Datagram<A> recvFrom(byte[] b) throws IOException {
        return recvFrom(b, 0, b.length);
    }

    /** Receives one datagram into {@code dst} (in place when direct), reporting its sender. */
    public Datagram<A> recvFrom(ByteBuffer dst) throws IOException {
        check("recvFrom");
        MemorySegment msg = owner.smallBlocks().allocate();
        try {
            return datagram(msg, recvInto(dst, WHOLE, 0, msg));
        } finally {
            owner.smallBlocks().free(msg);
        }
    }

    /** Like {@link #recvFrom(byte[], int, int)}, but the datagram stays queued (MSG_PEEK). */
    public Datagram<A> peekFrom(byte[] b, int offset, int length) throws IOException {
        check("peekFrom");
        return recvFromArray(b, offset, length, Net.MSG_PEEK);
    }

    /** {@link #peekFrom(byte[], int, int)} into all of {@code b}. */
    public Datagram<A> peekFrom(byte[] b) throws IOException {
        return peekFrom(b, 0, b.length);
    }

    // ---------------------------------------------------------------- shared paths

    /** Sends from a heap array; to {@code to} with sendmsg, or to the connected peer when null. */
    private int sendArray(byte[] b, int offset, int length, A to) throws IOException {
        Objects.checkFromIndexSize(offset, length, b.length);
        return sendCopy(b, offset, length, WHOLE, to);
    }

    /** recvmsg into a heap array, reporting the sender. */
    private Datagram<A> recvFromArray(byte[] b, int offset, int length, int flags) throws IOException {
        Objects.checkFromIndexSize(offset, length, b.length);
        // The msghdr, iovec and room for the sender live in a small block the kernel writes until the CQE.
        MemorySegment msg = owner.smallBlocks().allocate();
        try {
            return datagram(msg, recvCopy(b, offset, length, WHOLE, flags, msg));
        } finally {
            owner.smallBlocks().free(msg);
        }
    }

    private Datagram<A> datagram(MemorySegment msg, int n) {
        // The kernel wrote the sender and its length, and msg_flags, back into the msghdr.
        A from = family.decode(Net.msgName(msg), Net.msgNameLength(msg));
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
        setOption("setSendBufferSize", IntOption.SO_SNDBUF, bytes);
    }

    /** The kernel send buffer size ({@code SO_SNDBUF}, as the kernel reports it: doubled). */
    public int sendBufferSize() throws IOException {
        return getOption("sendBufferSize", IntOption.SO_SNDBUF);
    }

    /**
     * Asks for a kernel receive buffer of {@code bytes} ({@code SO_RCVBUF}): datagrams arriving while it
     * is full are dropped. The kernel doubles the value and caps it at {@code net.core.rmem_max}.
     */
    public void setRecvBufferSize(int bytes) throws IOException {
        setOption("setRecvBufferSize", IntOption.SO_RCVBUF, bytes);
    }

    /** The kernel receive buffer size ({@code SO_RCVBUF}, as the kernel reports it: doubled). */
    public int recvBufferSize() throws IOException {
        return getOption("recvBufferSize", IntOption.SO_RCVBUF);
    }
}
