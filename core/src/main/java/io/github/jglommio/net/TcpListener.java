package io.github.jglommio.net;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;
import io.github.jglommio.sys.Sqe;
import io.github.jglommio.sys.Syscalls;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * A listening TCP socket: Glommio's {@code TcpListener}. Binds with {@code SO_REUSEPORT}, so every
 * shard of a pool can bind the same port and the kernel spreads connections over them.
 *
 * {@snippet :
 * try (TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 8080))) {
 *     while (true) {
 *         TcpStream stream = listener.accept();
 *         Task.local(() -> handle(stream)).detach();
 *     }
 * }
 * }
 *
 * <p>Accepting uses one multishot {@code IORING_OP_ACCEPT} where the kernel has it: armed once, it
 * completes once per connection, and connections queue here until {@link #accept()} takes them.
 * Threading and errors: see the package documentation.
 */
public final class TcpListener implements AutoCloseable {

    /** Default listen backlog. */
    public static final int BACKLOG_DEFAULT = 1024;

    private final SocketFd socket;
    private final InetSocketAddress localAddress;
    private final ArrayDeque<Integer> ready = new ArrayDeque<>();
    private final boolean multishot;
    private int multishotId = -1;
    private boolean armed;
    private IOException acceptError;
    private Thread waiter;

    private TcpListener(SocketFd socket, InetSocketAddress local, boolean multishot) {
        this.socket = socket;
        this.localAddress = local;
        this.multishot = multishot;
    }

    /** Binds and listens on {@code address} with the default backlog. */
    public static TcpListener bind(InetSocketAddress address) throws IOException {
        return bind(address, BACKLOG_DEFAULT);
    }

    /**
     * Binds and listens on {@code address} (port 0: any free port, see {@link #localAddr()}), with
     * {@code SO_REUSEADDR} and {@code SO_REUSEPORT}.
     *
     * @throws java.net.BindException when the address is in use or not local
     */
    public static TcpListener bind(InetSocketAddress address, int backlog) throws IOException {
        Objects.requireNonNull(address, "address");
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be positive, got " + backlog);
        }
        Reactor r = SocketFd.reactor("TcpListener.bind");
        if (address.isUnresolved()) {
            throw new java.net.UnknownHostException("cannot bind to unresolved address " + address.getHostString());
        }
        int domain = address.getAddress() instanceof java.net.Inet6Address ? Net.AF_INET6 : Net.AF_INET;
        int fd = NetErrors.check(Net.socket(domain, Net.SOCK_STREAM), "socket", address);
        SocketFd s = new SocketFd(r, fd, "tcp listener on " + address);
        try (Arena a = Arena.ofConfined()) {
            s.setOption(Net.SOL_SOCKET, Net.SO_REUSEADDR, 1, "SO_REUSEADDR");
            s.setOption(Net.SOL_SOCKET, Net.SO_REUSEPORT, 1, "SO_REUSEPORT");
            MemorySegment sa = a.allocate(Net.SOCKADDR_STORAGE, 8);
            int len = Net.encode(address, sa);
            NetErrors.check(Net.bind(fd, sa, len), "bind", address);
            NetErrors.check(Net.listen(fd, backlog), "listen", address);
            InetSocketAddress local = s.address(false);
            return new TcpListener(s, local, r.ring().supports(Sqe.OP_ACCEPT));
        } catch (IOException | RuntimeException e) {
            try {
                s.closeFd();
            } catch (IOException ignored) {
                // report the bind failure
            }
            throw e;
        }
    }

    /** The bound address (with the actual port when bound to port 0). */
    public InetSocketAddress localAddr() {
        return localAddress;
    }

    /** Waits for and returns the next connection. */
    public TcpStream accept() throws IOException {
        socket.check("accept");
        if (!multishot) {
            int res = socket.op(Sqe.OP_ACCEPT, 0, 0, 0, Net.SOCK_CLOEXEC, 0, null, "accept");
            return TcpStream.accepted(socket.owner, NetErrors.check(res, "accept", localAddress));
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
                throw new java.util.concurrent.CancellationException("task was cancelled while accepting");
            }
        }
        return TcpStream.accepted(socket.owner, ready.pollFirst());
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
            acceptError = NetErrors.exception(-res, "accept", localAddress);
        }
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    /** Connections accepted by the kernel and not yet taken by {@link #accept()}. */
    public int pending() {
        return ready.size();
    }

    /** Stops listening: cancels the armed accept, closes queued connections and the socket. */
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
        socket.closeFd();
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    @Override
    public String toString() {
        return "TcpListener[" + localAddress + "]";
    }
}
