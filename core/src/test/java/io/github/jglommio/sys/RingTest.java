package io.github.jglommio.sys;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingTest {

    @Test
    void shouldRoundTripNopsThroughTheRing() throws Exception {
        try (Ring ring = Ring.create(8, IoUringParams.SETUP_SINGLE_ISSUER | IoUringParams.SETUP_DEFER_TASKRUN)) {
            assertTrue(ring.supports(Sqe.OP_NOP), "probe must list IORING_OP_NOP");
            assertEquals(8, ring.sq().entries());
            SubmissionQueue sq = ring.sq();
            // Fill the whole SQ: the ninth reservation must report "full".
            for (int i = 0; i < 8; i++) {
                long sqe = sq.next();
                assertTrue(sqe >= 0);
                Sqe.prepare(sq.sqes(), sqe, Sqe.OP_NOP, -1, 0, 0, 0, 1000 + i);
            }
            assertEquals(-1, sq.next());
            assertEquals(8, sq.publish());
            int submitted = ring.enter(8, 8, IoUringParams.ENTER_GETEVENTS, 0, 0);
            assertEquals(8, submitted);
            List<Long> seen = new ArrayList<>();
            int reaped = ring.cq().reap((userData, res, flags) -> {
                assertEquals(0, res);
                seen.add(userData);
            }, 100);
            assertEquals(8, reaped);
            assertEquals(List.of(1000L, 1001L, 1002L, 1003L, 1004L, 1005L, 1006L, 1007L), seen);
            assertFalse(ring.cq().hasCompletions());
            assertTrue(sq.next() >= 0, "entries are reusable once consumed");
        }
    }

    @Test
    void shouldReadAnEventfdThroughTheRing() throws Exception {
        try (Ring ring = Ring.create(4, 0); Arena arena = Arena.ofConfined()) {
            int efd = Syscalls.eventfd(0, Syscalls.EFD_CLOEXEC);
            assertTrue(efd >= 0);
            try {
                assertEquals(8, Syscalls.eventfdWrite(efd));
                assertEquals(8, Syscalls.eventfdWrite(efd));
                MemorySegment buf = arena.allocate(8);
                long sqe = ring.sq().next();
                Sqe.prepare(ring.sq().sqes(), sqe, Sqe.OP_READ, efd, buf.address(), 8, 0, 7);
                ring.sq().publish();
                assertEquals(1, ring.enter(1, 1, IoUringParams.ENTER_GETEVENTS, 0, 0));
                int[] res = new int[1];
                ring.cq().reap((ud, r, f) -> res[0] = r, 1);
                assertEquals(8, res[0]);
                assertEquals(2L, buf.get(JAVA_LONG, 0), "eventfd counter accumulates writes");
            } finally {
                Syscalls.close(efd);
            }
        }
    }

    @Test
    void shouldReturnNegativeErrnoInsteadOfThrowing() {
        assertEquals(-Errno.EBADF, Syscalls.close(-1));
        assertTrue(Syscalls.ioUringRegister(-1, 8, 0, 0) < 0, "a bad ring fd is reported as -errno");
    }

    @Test
    void shouldExplainSetupFailures() {
        RingSetupException e = assertThrows(RingSetupException.class, () -> Ring.create(0, 0));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("io_uring_setup(0) failed: EINVAL"), e.getMessage());
        assertTrue(Ring.explainSetupFailure(Errno.ENOSYS, 8).contains("seccomp"));
        assertTrue(Ring.explainSetupFailure(Errno.EPERM, 8).contains("/proc/sys/kernel/io_uring_disabled"));
        assertTrue(Ring.explainSetupFailure(Errno.ENOMEM, 8).contains("RLIMIT_MEMLOCK"));
    }

    @Test
    void shouldNameErrnoValues() {
        assertEquals("ENOENT (No such file or directory)", Errno.describe(-2));
        assertEquals("ECANCELED", Errno.name(125));
        assertEquals("errno 4095", Errno.name(4095));
    }
}
