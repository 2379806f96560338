package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A listening Unix-domain stream socket: Glommio's {@code UnixListener}. {@link #bind(Path)} creates
 * the socket file; {@link #accept()} returns a {@link UnixStream} per connecting client.
 *
 * {@snippet :
 * Path path = Path.of("/run/app.sock");
 * try (UnixListener listener = UnixListener.bind(path)) {
 *     while (true) {
 *         UnixStream stream = listener.accept();
 *         Task.local(() -> handle(stream)).detach();
 *     }
 * } finally {
 *     Files.deleteIfExists(path);                // closing leaves the socket file behind
 * }
 * }
 *
 * <p>Accepting uses one multishot {@code IORING_OP_ACCEPT} where the kernel has it, as
 * {@link TcpListener} does. Closing does not remove the socket file (neither does the JDK or Rust's
 * std): delete it, or a later {@code bind} to the same path fails. Threading and errors: see the
 * package documentation.
 */
public final class UnixListener implements AutoCloseable {

    /** Default listen backlog. */
    public static final int BACKLOG_DEFAULT = 1024;

    private final Acceptor acceptor;
    private final Path path;

    private UnixListener(SocketFd socket, Path path) {
        this.acceptor = new Acceptor(socket, path);
        this.path = path;
    }

    /** Binds and listens on {@code path} with the default backlog. */
    public static UnixListener bind(Path path) throws IOException {
        return bind(path, BACKLOG_DEFAULT);
    }

    /**
     * Creates the socket file {@code path} and listens on it.
     *
     * @throws BindException            when {@code path} already exists (a stale socket file from an
     *                                  earlier run, or any other file): the message names the path
     * @throws IllegalArgumentException when the path is longer than 107 bytes (the {@code sun_path}
     *                                  limit) or {@code backlog} is not positive
     * @throws IOException              when the directory is missing or not writable (ENOENT, EACCES)
     */
    public static UnixListener bind(Path path, int backlog) throws IOException {
        Objects.requireNonNull(path, "path");
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive, got " + backlog);
        }
        Reactor r = SocketFd.reactor("UnixListener.bind");
        int fd = NetErrors.check(Net.socket(Net.AF_UNIX, Net.SOCK_STREAM), "socket", path);
        SocketFd s = new SocketFd(r, fd, "unix listener on " + path);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(Net.SOCKADDR_STORAGE, 8);
            int len = Net.encodeUnix(path.toString(), sa);
            int res = Net.bind(fd, sa, len);
            if (res == -Errno.EADDRINUSE) {
                throw new BindException("bind(" + path + ") failed: " + Errno.describe(res)
                        + "; the path exists (a stale socket file?) and must be deleted before binding");
            }
            NetErrors.check(res, "bind", path);
            NetErrors.check(Net.listen(fd, backlog), "listen", path);
            return new UnixListener(s, path);
        } catch (IOException | RuntimeException e) {
            try {
                s.closeFd();
            } catch (IOException ignored) {
                // report the bind failure
            }
            throw e;
        }
    }

    /** The path this listener is bound to. */
    public Path localAddr() {
        return path;
    }

    /**
     * Waits for and returns the next connection, which belongs to this executor.
     *
     * @throws java.nio.channels.ClosedChannelException       when the listener is closed
     * @throws java.nio.channels.AsynchronousCloseException when it is closed while waiting
     */
    public UnixStream accept() throws IOException {
        return UnixStream.accepted(acceptor.socket().owner, acceptor.accept(), path);
    }

    /** Connections accepted by the kernel and not yet taken by {@link #accept()}. */
    public int pending() {
        return acceptor.pending();
    }

    /**
     * Stops listening: cancels the armed accept, closes queued connections and the socket. The socket
     * file stays. Idempotent.
     */
    @Override
    public void close() throws IOException {
        acceptor.close();
    }

    @Override
    public String toString() {
        return "UnixListener[" + path + "]";
    }
}
