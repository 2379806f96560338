package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Net;
import io.github.jglommio.sys.Sqe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;

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
 * {@link ByteBuffer} is read into and written from in place. Also a {@link java.nio.channels.ByteChannel},
 * and {@link #inputStream()}/{@link #outputStream()} views for ordinary Java libraries.
 *
 * <p>Threading and errors: see the package documentation.
 */
public final class TcpStream extends StreamSocket {

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

    /** Shuts down reading, writing or both ({@code IORING_OP_SHUTDOWN}); a write shutdown sends FIN. */
    public void shutdown(Shutdown how) throws IOException {
        shutdownFd(switch (how) {
            case READ -> Net.SHUT_RD;
            case WRITE -> Net.SHUT_WR;
            case BOTH -> Net.SHUT_RDWR;
        });
    }

    /** Which direction {@link #shutdown} closes. */
    public enum Shutdown {
        /** Further reads see end of stream. */
        READ,
        /** Sends FIN: the peer reads end of stream; this side can still read. */
        WRITE,
        /** Both. */
        BOTH
    }

    /** Disables (true) or enables Nagle's algorithm (TCP_NODELAY). */
    public void setNoDelay(boolean noDelay) throws IOException {
        check("setNoDelay");
        setOption(Net.IPPROTO_TCP, Net.TCP_NODELAY, noDelay ? 1 : 0, "TCP_NODELAY");
    }

    /** Whether Nagle's algorithm is disabled (TCP_NODELAY). */
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

    /** The IP time-to-live of outgoing packets (IP_TTL). */
    public int ttl() throws IOException {
        check("ttl");
        return getOption(Net.IPPROTO_IP, Net.IP_TTL, "IP_TTL");
    }

    /** This end's address (getsockname). */
    public InetSocketAddress localAddr() throws IOException {
        check("localAddr");
        return address(false);
    }

    /** The peer's address (getpeername). */
    public InetSocketAddress peerAddr() throws IOException {
        check("peerAddr");
        return address(true);
    }

    /** A buffered view: reads fill an internal buffer, writes are collected until {@code flush()}. */
    public BufferedTcpStream buffered() {
        return new BufferedTcpStream(this, 8192);
    }

    /** Zero-copy send pays off only towards a real network: not for a loopback peer. */
    @Override
    boolean zeroCopyUseful() {
        try {
            InetSocketAddress peer = address(true);
            return peer != null && !peer.getAddress().isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "TcpStream[" + description + "]";
    }
}
