package io.github.jglommio;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.Sqe;
import io.github.jglommio.sys.Syscalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Test helpers that park a task on a real io_uring operation that never completes by itself. */
final class ReactorAccess {

    private ReactorAccess() {
    }

    /** Reads an eventfd nobody writes: returns only when cancelled (throws CancellationException). */
    static void blockOnIdleEventfd() {
        int efd = Syscalls.eventfd(0, Syscalls.EFD_CLOEXEC);
        if (efd < 0) {
            throw new IllegalStateException("eventfd: " + Errno.describe(efd));
        }
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buf = arena.allocate(8);
            int res = Reactor.current().submitAndAwait(Sqe.OP_READ, efd, buf.address(), 8, 0, 0, buf);
            throw new IllegalStateException("idle eventfd read completed: " + res);
        } finally {
            Syscalls.close(efd);
        }
    }
}
