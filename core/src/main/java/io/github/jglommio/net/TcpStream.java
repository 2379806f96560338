package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;

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
public final class TcpStream extends StreamSocket<InetSocketAddress> {

    private TcpStream(Reactor owner, int fd, String description) {
        super(owner, fd, AddressFamily.INET, description);
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
        return connect("TcpStream.connect", AddressFamily.INET, address, timeout,
                (r, fd) -> new TcpStream(r, fd, "tcp connection to " + address));
    }

    /** Shuts down reading, writing or both ({@code IORING_OP_SHUTDOWN}); a write shutdown sends FIN. */
    public void shutdown(Shutdown how) throws IOException {
        shutdownFd(how);
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
        setOption("setNoDelay", IntOption.TCP_NODELAY, noDelay ? 1 : 0);
    }

    /** Whether Nagle's algorithm is disabled (TCP_NODELAY). */
    public boolean noDelay() throws IOException {
        return getOption("noDelay", IntOption.TCP_NODELAY) != 0;
    }

    /** IP time-to-live of outgoing packets (1..255). */
    public void setTtl(int ttl) throws IOException {
        setOption("setTtl", IntOption.IP_TTL, ttl);
    }

    /** The IP time-to-live of outgoing packets (IP_TTL). */
    public int ttl() throws IOException {
        return getOption("ttl", IntOption.IP_TTL);
    }

    /** A buffered view: reads fill an internal buffer, writes are collected until {@code flush()}. */
    public BufferedTcpStream buffered() {
        return new BufferedTcpStream(this, 8192);
    }

    /** Zero-copy send pays off only towards a real network: not for a loopback peer. */
    @Override
    boolean zeroCopyUseful() {
        try {
            InetSocketAddress peer = name(true);
            return peer != null && !peer.getAddress().isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
