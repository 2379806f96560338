package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;

import java.io.IOException;
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
public final class UnixListener extends Acceptor<Path, UnixStream> implements AutoCloseable {

    /** Default listen backlog. */
    public static final int BACKLOG_DEFAULT = 1024;

    private UnixListener(SocketFd<Path> socket, Path path) {
        super(socket, path);
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
        return listen("UnixListener.bind", AddressFamily.UNIX, path, backlog, "unix listener on " + path,
                UnixListener::new);
    }

    @Override
    UnixStream accepted(Reactor owner, int fd) {
        return UnixStream.accepted(owner, fd, localAddr());
    }
}
