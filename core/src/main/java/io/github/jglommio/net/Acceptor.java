package io.github.jglommio.net;

import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Net;
import io.github.jglommio.sys.Sqe;
import io.github.jglommio.sys.Syscalls;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * The accept side of a listening socket, shared by {@link TcpListener} and {@link UnixListener}: one
 * multishot {@code IORING_OP_ACCEPT} (where the kernel has it) armed on first use, whose completions
 * queue accepted fds here until a task takes them. Owner thread only.
 */
final class Acceptor {

    private final SocketFd socket;
    /** What error messages name: the listening address or path. */
    private final Object address;
    private final ArrayDeque<Integer> ready = new ArrayDeque<>();
    private final boolean multishot;
    private int multishotId = -1;
    private boolean armed;
    private IOException acceptError;
    private Thread waiter;

    Acceptor(SocketFd socket, Object address) {
        this.socket = socket;
        this.address = address;
        this.multishot = socket.owner.ring().supports(Sqe.OP_ACCEPT);
    }

    SocketFd socket() {
        return socket;
    }

    /** Waits for the next connection and returns its fd (CLOEXEC). */
    int accept() throws IOException {
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

    /** Connections accepted by the kernel and not yet taken. */
    int pending() {
        return ready.size();
    }

    /** Cancels the armed accept, closes queued connections and the socket, wakes a waiting task. */
    void close() throws IOException {
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
}
