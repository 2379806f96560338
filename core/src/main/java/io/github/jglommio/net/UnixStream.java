package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Net;

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
public final class UnixStream extends StreamSocket<Path> {

    private UnixStream(Reactor owner, int fd, String description) {
        super(owner, fd, AddressFamily.UNIX, description);
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
        return connect("UnixStream.connect", AddressFamily.UNIX, path, timeout,
                (r, fd) -> new UnixStream(r, fd, "unix connection to " + path));
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
        return Sockets.pair("UnixStream.pair", Net.SOCK_STREAM, "AF_UNIX, SOCK_STREAM",
                (r, fd) -> new UnixStream(r, fd, "unix pair fd " + fd), UnixStream[]::new);
    }

    /** Shuts down reading, writing or both ({@code IORING_OP_SHUTDOWN}); a write shutdown ends the peer's stream. */
    public void shutdown(Shutdown how) throws IOException {
        shutdownFd(how);
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

    /** A buffered view: reads fill an internal buffer, writes are collected until {@code flush()}. */
    public BufferedUnixStream buffered() {
        return new BufferedUnixStream(this, 8192);
    }
}
