package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;
import io.github.jglommio.sys.Sqe;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A connected Unix-domain stream socket on io_uring: Glommio's {@code UnixStream}. The same calls as
 * {@link TcpStream} — reads, writes, peeks, half-close, timeouts, {@link #buffered()},
 * {@link #inputStream()}/{@link #outputStream()} — for a peer on the same machine, reached by a
 * filesystem path ({@link #connect(Path)}, from a {@link UnixListener}) or created as a connected
 * {@link #pair()}.
 *
 * {@snippet :
 * try (UnixStream s = UnixStream.connect(Path.of("/run/app.sock"))) {
 *     s.writeAll("ping".getBytes());
 *     byte[] buf = new byte[1024];
 *     int n = s.read(buf);                       // -1 at end of stream
 * }
 * }
 *
 * <p>Data moves between the caller's memory and a per-connection native buffer (one copy); a direct
 * {@link ByteBuffer} is read into and written from in place. Also a {@link java.nio.channels.ByteChannel}.
 *
 * <p>Threading and errors: see the package documentation. Addresses are paths; an unnamed end (a
 * connecting client, either end of a pair) has the empty path.
 */
public final class UnixStream extends StreamSocket {

    private UnixStream(Reactor owner, int fd, String description) {
        super(owner, fd, description);
    }

    /** Wraps an accepted fd. */
    static UnixStream accepted(Reactor owner, int fd, Path listener) {
        return new UnixStream(owner, fd, "unix connection " + fd + " accepted on " + listener);
    }

    /** Connects to the listener bound at {@code path}. */
    public static UnixStream connect(Path path) throws IOException {
        return connect(path, null);
    }

    /**
     * Connects to the listener bound at {@code path}, giving up after {@code timeout} (null or zero:
     * wait as long as the listener's backlog is full).
     *
     * @throws ConnectException                                when nothing listens there (ENOENT,
     *                                                         ECONNREFUSED)
     * @throws IllegalArgumentException                        when the path is longer than 107 bytes
     * @throws java.nio.channels.InterruptedByTimeoutException when {@code timeout} elapsed
     */
    public static UnixStream connect(Path path, Duration timeout) throws IOException {
        Objects.requireNonNull(path, "path");
        long timeoutNs = timeoutNs(timeout, "connect timeout");
        Reactor r = reactor("UnixStream.connect");
        int fd = NetErrors.check(Net.socket(Net.AF_UNIX, Net.SOCK_STREAM), "socket", path);
        UnixStream s = new UnixStream(r, fd, "unix connection to " + path);
        try {
            int len = Net.encodeUnix(path.toString(), s.sockaddr);
            // connect: addr = sockaddr, off (addr2) = its length.
            int res = s.op(Sqe.OP_CONNECT, s.sockaddr.address(), 0, len, 0, timeoutNs, null, "connect");
            if (res == -Errno.ENOENT) {
                throw new ConnectException("connect(" + path + ") failed: " + Errno.describe(res));
            }
            NetErrors.check(res, "connect", path);
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException | RuntimeException ignored) {
                // the connect failure is what the caller needs to see
            }
            throw e;
        }
        return s;
    }

    /**
     * Two connected, unnamed sockets ({@code socketpair(AF_UNIX, SOCK_STREAM)}): what one writes the
     * other reads. Both belong to the calling task's executor.
     *
     * {@snippet :
     * UnixStream[] pair = UnixStream.pair();
     * pair[0].writeAll("hi".getBytes());
     * pair[1].readFully(new byte[2]);
     * }
     */
    public static UnixStream[] pair() throws IOException {
        Reactor r = reactor("UnixStream.pair");
        int[] fds = new int[2];
        NetErrors.check(Net.socketpair(Net.SOCK_STREAM, fds), "socketpair", "AF_UNIX, SOCK_STREAM");
        return new UnixStream[] {
            new UnixStream(r, fds[0], "unix pair fd " + fds[0]),
            new UnixStream(r, fds[1], "unix pair fd " + fds[1])
        };
    }

    /** Shuts down reading, writing or both ({@code IORING_OP_SHUTDOWN}); a write shutdown ends the peer's stream. */
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
        /** The peer reads end of stream; this side can still read. */
        WRITE,
        /** Both. */
        BOTH
    }

    /** This end's path (getsockname); empty when unnamed. */
    public Path localAddr() throws IOException {
        check("localAddr");
        return unixAddress(false);
    }

    /** The peer's path (getpeername); empty when the peer is unnamed. */
    public Path peerAddr() throws IOException {
        check("peerAddr");
        return unixAddress(true);
    }

    /** A buffered view: reads fill an internal buffer, writes are collected until {@code flush()}. */
    public BufferedUnixStream buffered() {
        return new BufferedUnixStream(this, 8192);
    }

    @Override
    public String toString() {
        return "UnixStream[" + description + "]";
    }
}
