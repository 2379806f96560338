package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Net;
import io.github.jglommio.sys.Sqe;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A TCP connection on io_uring: Glommio's {@code TcpStream}. Plain blocking style; each call parks only
 * the calling task.
 *
 * {@snippet :
 * try (TcpStream s = TcpStream.connect(new InetSocketAddress("127.0.0.1", 8080))) {
 *     s.writeAll("ping".getBytes());
 *     byte[] buf = new byte[1024];
 *     int n = s.read(buf);                       // -1 at end of stream
 * }
 * }
 *
 * <p>Data moves between the caller's memory and a per-connection native buffer (one copy); a direct
 * {@link ByteBuffer} is read into and written from in place. Also a {@link ByteChannel}, and
 * {@link #inputStream()}/{@link #outputStream()} views for ordinary Java libraries.
 *
 * <p>Threading and errors: see the package documentation.
 */
public final class TcpStream extends SocketFd implements ByteChannel {

    private TcpStream(Reactor owner, int fd, String description) {
        super(owner, fd, description);
    }

    /** Wraps an accepted fd. */
    static TcpStream accepted(Reactor owner, int fd) {
        return new TcpStream(owner, fd, "tcp fd " + fd);
    }

    /** Connects to {@code address}. */
    public static TcpStream connect(InetSocketAddress address) throws IOException {
        return connect(address, null);
    }

    /**
     * Connects to {@code address}, giving up after {@code timeout} (null or zero: the kernel's own
     * limit).
     *
     * @throws java.net.ConnectException                         when refused
     * @throws java.nio.channels.InterruptedByTimeoutException when {@code timeout} elapsed
     */
    public static TcpStream connect(InetSocketAddress address, Duration timeout) throws IOException {
        Objects.requireNonNull(address, "address");
        long timeoutNs = timeoutNs(timeout, "connect timeout");
        Reactor r = reactor("TcpStream.connect");
        if (address.isUnresolved()) {
            throw new java.net.UnknownHostException("cannot connect to unresolved address " + address.getHostString());
        }
        int domain = address.getAddress() instanceof java.net.Inet6Address ? Net.AF_INET6 : Net.AF_INET;
        int fd = NetErrors.check(Net.socket(domain, Net.SOCK_STREAM), "socket", address);
        TcpStream s = new TcpStream(r, fd, "tcp connection to " + address);
        try {
            int len = Net.encode(address, s.sockaddr);
            // connect: addr = sockaddr, off (addr2) = its length.
            int res = s.op(Sqe.OP_CONNECT, s.sockaddr.address(), 0, len, 0, timeoutNs, null, "connect");
            NetErrors.check(res, "connect", address);
        } catch (IOException | RuntimeException e) {
            s.closeQuietly();
            throw e;
        }
        return s;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException ignored) {
            // the connect failure is what the caller needs to see
        }
    }

    /**
     * Reads up to {@code length} bytes into {@code b} from {@code offset}; parks until at least one
     * byte arrives. Returns the bytes read, or -1 at end of stream.
     */
    public int read(byte[] b, int offset, int length) throws IOException {
        check("read");
        Objects.checkFromIndexSize(offset, length, b.length);
        if (length == 0) {
            return 0;
        }
        int n = recv(length, 0);
        if (n > 0) {
            MemorySegment.copy(bufferMemory(true, length), JAVA_BYTE, 0, b, offset, n);
        }
        return n == 0 ? -1 : n;
    }

    /** Reads into all of {@code b}; see {@link #read(byte[], int, int)}. */
    public int read(byte[] b) throws IOException {
        return read(b, 0, b.length);
    }

    /** Like {@link #read(byte[], int, int)} but leaves the bytes in the socket (MSG_PEEK). */
    public int peek(byte[] b, int offset, int length) throws IOException {
        check("peek");
        Objects.checkFromIndexSize(offset, length, b.length);
        if (length == 0) {
            return 0;
        }
        int n = recv(length, Net.MSG_PEEK);
        if (n > 0) {
            MemorySegment.copy(bufferMemory(true, length), JAVA_BYTE, 0, b, offset, n);
        }
        return n == 0 ? -1 : n;
    }

    /** {@link #peek(byte[], int, int)} into all of {@code b}. */
    public int peek(byte[] b) throws IOException {
        return peek(b, 0, b.length);
    }

    private int recv(int length, int flags) throws IOException {
        int cap = bufferCapacity(true, length);
        MemorySegment mem = bufferMemory(true, length);
        int res = op(Sqe.OP_RECV, mem.address(), cap, 0, flags, readTimeoutNs, mem, "recv");
        return NetErrors.check(res, "recv", description);
    }

    /** Reads into {@code dst} (in place when it is direct); -1 at end of stream. */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        check("read");
        int length = dst.remaining();
        if (length == 0) {
            return 0;
        }
        if (dst.isDirect()) {
            MemorySegment seg = MemorySegment.ofBuffer(dst);
            int res = NetErrors.check(op(Sqe.OP_RECV, seg.address(), length, 0, 0, readTimeoutNs, dst, "recv"),
                    "recv", description);
            if (res == 0) {
                return -1;
            }
            dst.position(dst.position() + res);
            return res;
        }
        int n = recv(length, 0);
        if (n == 0) {
            return -1;
        }
        MemorySegment.copy(bufferMemory(true, length), 0, MemorySegment.ofBuffer(dst), 0, n);
        dst.position(dst.position() + n);
        return n;
    }

    /** Writes some of {@code b}; returns the bytes the kernel accepted (at least 1). */
    public int write(byte[] b, int offset, int length) throws IOException {
        check("write");
        Objects.checkFromIndexSize(offset, length, b.length);
        if (length == 0) {
            return 0;
        }
        int cap = bufferCapacity(false, length);
        MemorySegment mem = bufferMemory(false, length);
        MemorySegment.copy(b, offset, mem, JAVA_BYTE, 0, cap);
        return send(mem.address(), cap, mem);
    }

    private int send(long address, int length, Object keep) throws IOException {
        int res = op(Sqe.OP_SEND, address, length, 0, Net.MSG_NOSIGNAL, writeTimeoutNs, keep, "send");
        return NetErrors.check(res, "send", description);
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

    /** Writes some of {@code src} (in place when it is direct); returns the bytes written. */
    @Override
    public int write(ByteBuffer src) throws IOException {
        check("write");
        int length = src.remaining();
        if (length == 0) {
            return 0;
        }
        int n;
        if (src.isDirect()) {
            n = send(MemorySegment.ofBuffer(src).address(), length, src);
        } else {
            int cap = bufferCapacity(false, length);
            MemorySegment mem = bufferMemory(false, length);
            MemorySegment.copy(MemorySegment.ofBuffer(src), 0, mem, 0, cap);
            n = send(mem.address(), cap, mem);
        }
        src.position(src.position() + n);
        return n;
    }

    /** Shuts down reading, writing or both ({@code IORING_OP_SHUTDOWN}); a write shutdown sends FIN. */
    public void shutdown(Shutdown how) throws IOException {
        check("shutdown");
        int h = switch (how) {
            case READ -> Net.SHUT_RD;
            case WRITE -> Net.SHUT_WR;
            case BOTH -> Net.SHUT_RDWR;
        };
        NetErrors.check(owner.submitAndAwait(Sqe.OP_SHUTDOWN, fd, 0, h, 0, 0, null), "shutdown", description);
    }

    /** Which direction {@link #shutdown} closes. */
    public enum Shutdown { READ, WRITE, BOTH }

    /** Disables (true) or enables Nagle's algorithm (TCP_NODELAY). */
    public void setNoDelay(boolean noDelay) throws IOException {
        check("setNoDelay");
        setOption(Net.IPPROTO_TCP, Net.TCP_NODELAY, noDelay ? 1 : 0, "TCP_NODELAY");
    }

    public boolean noDelay() throws IOException {
        check("noDelay");
        return getOption(Net.IPPROTO_TCP, Net.TCP_NODELAY, "TCP_NODELAY") != 0;
    }

    /** IP time-to-live of outgoing packets (1..255). */
    public void setTtl(int ttl) throws IOException {
        check("setTtl");
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("ttl must be between 1 and 255, got " + ttl);
        }
        setOption(Net.IPPROTO_IP, Net.IP_TTL, ttl, "IP_TTL");
    }

    public int ttl() throws IOException {
        check("ttl");
        return getOption(Net.IPPROTO_IP, Net.IP_TTL, "IP_TTL");
    }

    /**
     * A read that waits longer than {@code timeout} fails with
     * {@link java.nio.channels.InterruptedByTimeoutException}; null or zero: no timeout.
     */
    public void setReadTimeout(Duration timeout) {
        readTimeoutNs = timeoutNs(timeout, "read timeout");
    }

    /** As {@link #setReadTimeout} for writes. */
    public void setWriteTimeout(Duration timeout) {
        writeTimeoutNs = timeoutNs(timeout, "write timeout");
    }

    public InetSocketAddress localAddr() throws IOException {
        check("localAddr");
        return address(false);
    }

    public InetSocketAddress peerAddr() throws IOException {
        check("peerAddr");
        return address(true);
    }

    /** A buffered view: reads fill an internal buffer, writes are collected until {@code flush()}. */
    public BufferedTcpStream buffered() {
        return new BufferedTcpStream(this, 8192);
    }

    /** An {@link InputStream} reading from this connection (unbuffered; closing it closes the connection). */
    public InputStream inputStream() {
        return new InputStream() {
            private final byte[] one = new byte[1];

            @Override
            public int read() throws IOException {
                int n = TcpStream.this.read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return TcpStream.this.read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                TcpStream.this.close();
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
                TcpStream.this.close();
            }
        };
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

    @Override
    public boolean isOpen() {
        return !isClosed();
    }

    /** Closes the connection; tasks parked on it get {@link java.nio.channels.AsynchronousCloseException}. */
    @Override
    public void close() throws IOException {
        closeFd();
    }

    @Override
    public String toString() {
        return "TcpStream[" + description + "]";
    }
}
