package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;
import io.github.jglommio.sys.Sqe;
import io.github.jglommio.sys.Syscalls;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;

/**
 * A listening socket, what {@link TcpListener} and {@link UnixListener} share: bind and listen, and
 * the accept side — one multishot {@code IORING_OP_ACCEPT} (where the kernel has it) armed on first
 * use, whose completions queue accepted fds here until a task takes them. {@code A} is the address
 * type, {@code S} the connection type. Owner thread only; its public methods are documented as
 * members of those two classes.
 */
abstract class Acceptor<A, S extends StreamSocket<A>> implements AutoCloseable {

    private final SocketFd<A> socket;
    /** The listening address or path: what {@link #localAddr()} returns and error messages name. */
    private final A address;
    private final ArrayDeque<Integer> ready = new ArrayDeque<>();
    private final boolean multishot;
    private int multishotId = -1;
    private boolean armed;
    private IOException acceptError;
    private Thread waiter;

    Acceptor(SocketFd<A> socket, A address) {
        this.socket = socket;
        this.address = address;
        this.multishot = socket.owner.ring().supports(Sqe.OP_ACCEPT);
    }

    /**
     * Opens a stream socket on the calling task's executor, turns on the {@code enabled} options, binds
     * it to {@code address} and listens with {@code backlog}; {@code listener} wraps the socket and the
     * address it reports. Closes the socket when a step fails.
     */
    static <A, L> L listen(String what, AddressFamily<A> family, A address, int backlog, String description,
            BiFunction<SocketFd<A>, A, L> listener, IntOption... enabled) throws IOException {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive, got " + backlog);
        }
        SocketFd<A> s = Sockets.bound(what, family, address, Net.SOCK_STREAM,
                (r, fd) -> new SocketFd<>(r, fd, family, description), enabled);
        return Sockets.setUp(s, x -> {
            NetErrors.check(Net.listen(x.fd, backlog), "listen", address);
            return listener.apply(x, family.listening(x, address));
        });
    }

    /** Wraps an accepted connection's fd. */
    abstract S accepted(Reactor owner, int fd);

    /**
     * The address this listener is bound to: for a TCP listener, with the actual port when bound to
     * port 0; for a Unix listener, its path.
     */
    public A localAddr() {
        return address;
    }

    /**
     * Waits for and returns the next connection, which belongs to this executor.
     *
     * @throws java.nio.channels.ClosedChannelException       when the listener is closed
     * @throws java.nio.channels.AsynchronousCloseException when it is closed while waiting
     */
    public S accept() throws IOException {
        return accepted(socket.owner, acceptFd());
    }

    /** Waits for the next connection and returns its fd (CLOEXEC). */
    private int acceptFd() throws IOException {
        socket.check("accept");
        if (!multishot) {
            int res = socket.op(Sqe.OP_ACCEPT, 0, 0, 0, Net.SOCK_CLOEXEC, 0, null, "accept");
            return NetErrors.check(res, "accept", address);
        }
        Thread me = Thread.currentThread();
        while (ready.isEmpty()) {
            if (acceptError != null) {
                IOException e = acceptError;
                acceptError = null;
                throw e;
            }
            if (socket.isClosed()) {
                throw new AsynchronousCloseException();
            }
            if (!armed) {
                arm();
            }
            if (waiter != null && waiter != me) {
                // Another task is already waiting: queue behind it by polling politely.
                Thread.yield();
                continue;
            }
            waiter = me;
            LockSupport.park(this);
            waiter = null;
            if (me.isInterrupted()) {
                throw new CancellationException("task was cancelled while accepting");
            }
        }
        return ready.pollFirst();
    }

    private void arm() {
        armed = true;
        multishotId = socket.owner.submitMultishot(Sqe.OP_ACCEPT, socket.fd, 0, 0, 0, Net.SOCK_CLOEXEC,
                Sqe.ACCEPT_MULTISHOT, this::onAccept);
    }

    /** Runs on the executor loop for every multishot accept completion. */
    private void onAccept(int res, int flags, boolean more) {
        if (!more) {
            armed = false;
        }
        if (res >= 0) {
            if (socket.isClosed()) {
                Syscalls.close(res);
            } else {
                ready.addLast(res);
            }
        } else if (res != -Errno.ECANCELED && !socket.isClosed()) {
            acceptError = NetErrors.exception(-res, "accept", address);
        }
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** Connections accepted by the kernel and not yet taken by {@link #accept()}. */
    public int pending() {
        return ready.size();
    }

    /**
     * Stops listening: cancels the armed accept, closes queued connections and the socket. A Unix
     * listener's socket file stays. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (socket.isClosed()) {
            return;
        }
        if (armed) {
            socket.owner.cancelMultishot(multishotId);
        }
        while (!ready.isEmpty()) {
            Syscalls.close(ready.pollFirst());
        }
        socket.close();
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + address + "]";
    }
}
