package io.github.jglommio.net;

import io.github.jglommio.reactor.IoBuffer;
import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.BufferRing;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;
import io.github.jglommio.sys.Sqe;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * What {@link TcpStream} and {@link UnixStream} share: connecting, reads, writes, peeks, half-close,
 * timeouts and the stream/channel views of a connected byte-stream socket. Its public methods are
 * documented as members of those two classes.
 */
abstract class StreamSocket<A> extends SocketFd<A> implements ByteChannel {

    /** One recv/send moves at most this much through the per-connection buffer. */
    private static final int MAX_CHUNK = 64 << 10;
    /** {@code how} of shutdown(2) for the Shutdown enums' READ, WRITE, BOTH, by ordinal. */
    private static final int[] SHUTDOWN_HOW = {Net.SHUT_RD, Net.SHUT_WR, Net.SHUT_RDWR};

    StreamSocket(Reactor owner, int fd, AddressFamily<A> family, String description) {
        super(owner, fd, family, description);
    }

    /**
     * Opens a stream socket on the calling task's executor, wrapped by {@code wrap}, and connects it to
     * {@code address} ({@code IORING_OP_CONNECT}), giving up after {@code timeout}; closes it when the
     * connect fails. {@code what} names the public call.
     */
    static <A, S extends StreamSocket<A>> S connect(String what, AddressFamily<A> family, A address, Duration timeout,
            Sockets.Opener<S> wrap) throws IOException {
        long timeoutNs = timeoutNs(timeout, "connect timeout");
        S s = Sockets.open(what, family, address, Net.SOCK_STREAM, "connect to", wrap);
        return Sockets.setUp(s, x -> {
            int len = x.encode(address, x.sockaddr);
            // connect: addr = sockaddr, off (addr2) = its length.
            int res = x.op(Sqe.OP_CONNECT, x.sockaddr.address(), 0, len, 0, timeoutNs, null, "connect");
            if (res < 0) {
                throw family.connectError(-res, address);
            }
            return x;
        });
    }

    /**
     * Reads up to {@code length} bytes into {@code b} from {@code offset}; parks until at least one
     * byte arrives. Returns the bytes read, or -1 at end of stream.
     *
     * @throws java.nio.channels.InterruptedByTimeoutException when a read timeout is set and elapsed
     * @throws java.nio.channels.ClosedChannelException        when the socket is closed
     */
    public int read(byte[] b, int offset, int length) throws IOException {
        check("read");
        return receive(b, offset, length, false);
    }

    /** Reads into all of {@code b}; see {@link #read(byte[], int, int)}. */
    public int read(byte[] b) throws IOException {
        return read(b, 0, b.length);
    }

    /** Like {@link #read(byte[], int, int)} but leaves the bytes in the socket (MSG_PEEK). */
    public int peek(byte[] b, int offset, int length) throws IOException {
        check("peek");
        return receive(b, offset, length, true);
    }

    /**
     * A read or peek into {@code b}: from the multishot receiver's queued buffers, or with one receive
     * operation when there is no receiver or the buffer ring ran dry.
     */
    private int receive(byte[] b, int offset, int length, boolean peek) throws IOException {
        Objects.checkFromIndexSize(offset, length, b.length);
        if (length == 0) {
            return 0;
        }
        MultishotReceiver r = receiver();
        if (r != null) {
            int n = r.read(b, offset, length, peek, readTimeoutNs);
            if (n != MultishotReceiver.RING_DRY) {
                return endOfStream(n);
            }
        }
        return endOfStream(recvCopy(b, offset, length, MAX_CHUNK, peek ? Net.MSG_PEEK : 0, null));
    }

    /** {@link #peek(byte[], int, int)} into all of {@code b}. */
    public int peek(byte[] b) throws IOException {
        return peek(b, 0, b.length);
    }

    /** Reads into {@code dst} (in place when it is direct); -1 at end of stream. */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        check("read");
        if (dst.remaining() == 0) {
            return 0;
        }
        MultishotReceiver r = receiver();
        if (r != null) {
            int n = dst.hasArray()
                    ? r.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining(), false, readTimeoutNs)
                    : r.read(MemorySegment.ofBuffer(dst), 0, dst.remaining(), false, readTimeoutNs);
            if (n != MultishotReceiver.RING_DRY) {
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return endOfStream(n);
            }
        }
        return endOfStream(recvInto(dst, MAX_CHUNK, 0, null));
    }

    // ---------------------------------------------------------------- multishot receive

    /** System property: {@code false} makes new streams use one receive operation per read. */
    public static final String MULTISHOT_RECV_PROP_NAME = "jglommio.multishotRecv";
    private static final boolean MULTISHOT_RECV = !"false".equals(System.getProperty(MULTISHOT_RECV_PROP_NAME));
    private MultishotReceiver receiver;
    private boolean receiverDecided;

    /**
     * The multishot receiver, created at the first read: null when the executor has no buffer ring
     * (kernel before 5.19, or turned off) — reads then use one {@code IORING_OP_RECV} each.
     */
    private MultishotReceiver receiver() {
        if (!receiverDecided) {
            receiverDecided = true;
            BufferRing ring = MULTISHOT_RECV && owner.ring().supports(Sqe.OP_RECV) ? owner.recvBuffers() : null;
            if (ring != null) {
                receiver = new MultishotReceiver(this, owner, ring);
            }
        }
        return receiver;
    }

    /** A stream recv of 0 bytes is the peer's FIN. */
    private static int endOfStream(int n) {
        return n == 0 ? -1 : n;
    }

    /**
     * Writes some of {@code b}; returns the bytes taken (at least 1). Without a write timeout, a write
     * that fits one chunk (64 KiB) is <em>write-behind</em>: the bytes are copied to the socket's send
     * buffer, the send is queued, and the call returns without parking; the next write, shutdown or
     * close waits for that send first and throws its failure, if any. A close waits for it at most 5 s
     * (system property {@code jglommio.closeLingerMs}), then drops it: a peer that stopped reading
     * cannot hold close forever.
     */
    public int write(byte[] b, int offset, int length) throws IOException {
        check("write");
        Objects.checkFromIndexSize(offset, length, b.length);
        if (length == 0) {
            return 0;
        }
        collectSendBehind();
        if (writeTimeoutNs == 0 && length <= MAX_CHUNK && (length < zeroCopyThreshold || !zeroCopyEligible())) {
            return sendBehind(b, offset, length);
        }
        return sendCopy(b, offset, length, MAX_CHUNK, null);
    }

    /**
     * Whether {@link #write(byte[], int, int)} of {@code length} bytes would return without parking:
     * it would be a write-behind (no write timeout, at most one chunk, below the zero-copy
     * threshold) and the previous write-behind send, if any, has completed. For a task that writes
     * on behalf of another and must not wait for a slow peer. Owner executor only.
     *
     * @param length the number of bytes to write
     * @return {@code true} if such a write returns at once (but in the rare case that the previous
     *     send completed short and its remainder must be sent first)
     */
    public boolean canWriteWithoutParking(int length) {
        return !isClosed() && writeTimeoutNs == 0 && length <= MAX_CHUNK
                && (length < zeroCopyThreshold || !zeroCopyEligible())
                && (behindSlot < 0 || owner.isDone(behindSlot));
    }

    /** Writes some of {@code src} (in place when it is direct); returns the bytes written. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        check("write");
        if (src.remaining() == 0) {
            return 0;
        }
        collectSendBehind();
        return sendFrom(src, MAX_CHUNK, null);
    }

    // ---------------------------------------------------------------- write-behind

    /*
     * A write-behind send is an ordinary SEND whose slot no task parks on: the writer returns at once
     * and the CQE only records the result. At most one is in flight per socket, because two SENDs on
     * one socket may complete out of order (the first can go to poll while the second is issued
     * inline); so every later send, the shutdown and the close collect it first. MSG_WAITALL makes the
     * kernel retry a short send itself; a remainder left by an error-free short completion is sent
     * synchronously at collection, before anything else is sent.
     */

    private int behindSlot = -1;
    private IoBuffer behindBuffer;
    private int behindLength;

    private int sendBehind(byte[] b, int offset, int length) {
        IoBuffer buf = borrow(false, length);
        MemorySegment mem = buf.memory();
        MemorySegment.copy(b, offset, mem, JAVA_BYTE, 0, length);
        int slot;
        try {
            slot = owner.newDetachedOperation(buf);
        } catch (RuntimeException e) {
            giveBack(false, buf);
            throw e;
        }
        long sqe = owner.prepare(slot, Sqe.OP_SEND, fd, mem.address(), length, 0);
        Sqe.opFlags(owner.sqes(), sqe, Net.MSG_NOSIGNAL | Net.MSG_WAITALL);
        inflight++;
        behindSlot = slot;
        behindBuffer = buf;
        behindLength = length;
        return length;
    }

    /** Waits for the write-behind send, if one is in flight, finishes it, and throws its failure. */
    final void collectSendBehind() throws IOException {
        collectSendBehind(0);
    }

    /**
     * How long {@link #close()} waits for a write-behind send still in flight (its peer not reading)
     * before it gives up on it; system property {@value #CLOSE_LINGER_PROP_NAME} in milliseconds.
     */
    static final String CLOSE_LINGER_PROP_NAME = "jglommio.closeLingerMs";
    static long closeLingerNs = Long.getLong(CLOSE_LINGER_PROP_NAME, 5_000) * 1_000_000L;

    /**
     * {@link #collectSendBehind()}, waiting at most {@code lingerNs} when it is positive (the close, like
     * SO_LINGER): past that, or when the closing task is cancelled, the send is abandoned — its CQE
     * gives the buffer back — and the close cancels it with the socket's other operations, so a peer
     * that stopped reading cannot hold close() forever. The send is taken off the socket before the
     * wait, so no other task ever waits on the same slot.
     */
    private void collectSendBehind(long lingerNs) throws IOException {
        int slot = behindSlot;
        if (slot < 0) {
            return;
        }
        IoBuffer buf = behindBuffer;
        int length = behindLength;
        behindSlot = -1;
        behindBuffer = null;
        int res;
        try {
            res = lingerNs > 0 ? owner.awaitFor(slot, lingerNs) : owner.await(slot);
        } catch (RuntimeException e) {
            endSendBehind(buf);
            throw e;
        }
        if (res == Reactor.TIMED_OUT) {
            owner.abandon(slot, () -> endSendBehind(buf));
            return;
        }
        try {
            if (res == -Errno.ECANCELED && isClosed()) {
                throw new AsynchronousCloseException();
            }
            int done = checkResult(res, "send", description);
            long address = buf.memory().address();
            while (done < length) {
                done += checkResult(op(Sqe.OP_SEND, address + done, length - done, 0, Net.MSG_NOSIGNAL,
                        0, null, "send"), "send", description);
            }
        } finally {
            endSendBehind(buf);
        }
    }

    /** The write-behind send is over: it no longer counts as in flight and its buffer goes back. */
    private void endSendBehind(IoBuffer buf) {
        inflight--;
        giveBack(false, buf);
        releaseIfIdle();
    }

    @Override
    void beforeClose() throws IOException {
        if (receiver != null) {
            receiver.close();
        }
        collectSendBehind(closeLingerNs);
    }

    /** A connected stream's send ({@code to} is always null), zero-copy when large enough. */
    @Override
    int sendNative(long address, int length, Object keep, A to) throws IOException {
        if (length >= zeroCopyThreshold && zeroCopyEligible()) {
            // IORING_OP_SEND_ZC: the NIC (or loopback) reads the pages in place; the operation
            // completes only after the kernel's notification that it released them.
            int res = op(Sqe.OP_SEND_ZC, address, length, 0, Net.MSG_NOSIGNAL, writeTimeoutNs, keep, "send_zc");
            if (res != -Errno.EOPNOTSUPP && res != -Errno.EINVAL) {
                return NetErrors.check(res, "send_zc", description);
            }
            zeroCopy = Boolean.FALSE; // this socket type cannot: plain sends from now on
        }
        return super.sendNative(address, length, keep, null);
    }

    /**
     * Writes of at least {@code bytes} use zero-copy send ({@code IORING_OP_SEND_ZC}) where the kernel
     * supports it; 0 disables it. Default {@link #ZERO_COPY_THRESHOLD_DEFAULT} (system property
     * {@value #ZERO_COPY_THRESHOLD_PROP_NAME}).
     */
    public void setZeroCopyThreshold(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("zero-copy threshold must not be negative, got " + bytes);
        }
        zeroCopyThreshold = bytes == 0 ? Integer.MAX_VALUE : bytes;
    }

    /** System property overriding the default zero-copy send threshold (bytes; 0 disables). */
    public static final String ZERO_COPY_THRESHOLD_PROP_NAME = "jglommio.sendZeroCopyThreshold";
    /** Default zero-copy send threshold: writes of at least this many bytes use SEND_ZC. */
    public static final int ZERO_COPY_THRESHOLD_DEFAULT = 64 << 10;
    private static final int ZERO_COPY_THRESHOLD = Integer.getInteger(ZERO_COPY_THRESHOLD_PROP_NAME,
            ZERO_COPY_THRESHOLD_DEFAULT);
    private int zeroCopyThreshold = ZERO_COPY_THRESHOLD == 0 ? Integer.MAX_VALUE : ZERO_COPY_THRESHOLD;
    /** Null until decided: whether this socket may use SEND_ZC at all. */
    private Boolean zeroCopy;

    /** Test seam: use (or not) SEND_ZC regardless of the peer. */
    void forceZeroCopy(boolean on) {
        zeroCopy = on && owner.ring().supports(Sqe.OP_SEND_ZC);
    }

    private boolean zeroCopyEligible() {
        if (zeroCopy == null) {
            zeroCopy = owner.ring().supports(Sqe.OP_SEND_ZC) && zeroCopyUseful();
        }
        return zeroCopy;
    }

    /**
     * Whether zero-copy can pay off for this socket. Measured on loopback (see README): SEND_ZC
     * reached only 0.05-0.83x the throughput of SEND from 4 KiB to 1 MiB writes, because loopback
     * copies anyway and each write then waits for the notification. So: never for loopback or Unix
     * peers; subclasses with a remote peer say yes.
     */
    boolean zeroCopyUseful() {
        return false;
    }

    /** Writes all {@code length} bytes of {@code b} from {@code offset}. */
    public void writeAll(byte[] b, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, b.length);
        int done = 0;
        while (done < length) {
            done += write(b, offset + done, length - done);
        }
    }

    /** Writes all of {@code b}. */
    public void writeAll(byte[] b) throws IOException {
        writeAll(b, 0, b.length);
    }

    /** Reads exactly {@code b.length} bytes or throws {@link EOFException}. */
    public void readFully(byte[] b) throws IOException {
        int done = 0;
        while (done < b.length) {
            int n = read(b, done, b.length - done);
            if (n < 0) {
                throw new EOFException("connection closed after " + done + " of " + b.length + " bytes");
            }
            done += n;
        }
    }

    /**
     * {@code IORING_OP_SHUTDOWN} for a {@code TcpStream.Shutdown} or {@code UnixStream.Shutdown}
     * constant: both declare READ, WRITE, BOTH in the order of {@link #SHUTDOWN_HOW}.
     */
    final void shutdownFd(Enum<?> how) throws IOException {
        int shut = SHUTDOWN_HOW[how.ordinal()];
        check("shutdown");
        collectSendBehind(); // the FIN goes after the data written before it
        NetErrors.check(owner.submitAndAwait(Sqe.OP_SHUTDOWN, fd, 0, shut, 0, 0, null), "shutdown", description);
    }

    /**
     * A read that waits longer than {@code timeout} fails with
     * {@link java.nio.channels.InterruptedByTimeoutException} (the connection stays usable); null or
     * zero: no timeout.
     *
     * @throws IllegalArgumentException when {@code timeout} is negative
     */
    public void setReadTimeout(Duration timeout) {
        readTimeoutNs = timeoutNs(timeout, "read timeout");
    }

    /** As {@link #setReadTimeout} for writes. */
    public void setWriteTimeout(Duration timeout) {
        writeTimeoutNs = timeoutNs(timeout, "write timeout");
    }

    /** An {@link InputStream} reading from this connection (unbuffered; closing it closes the connection). */
    public InputStream inputStream() {
        return new InputStream() {
            private final byte[] one = new byte[1];

            @Override
            public int read() throws IOException {
                int n = StreamSocket.this.read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return StreamSocket.this.read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                StreamSocket.this.close();
            }
        };
    }

    /** An {@link OutputStream} writing to this connection (unbuffered; closing it closes the connection). */
    public OutputStream outputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                writeAll(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writeAll(b, off, len);
            }

            @Override
            public void close() throws IOException {
                StreamSocket.this.close();
            }
        };
    }
}
