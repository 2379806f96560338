package io.github.jglommio;

import io.github.jglommio.reactor.Reactor;
import io.github.jglommio.sys.IoUringParams;
import io.github.jglommio.sys.Ring;
import io.github.jglommio.sys.RingSetupException;
import io.github.jglommio.sys.Sqe;

import java.util.BitSet;
import java.util.Optional;

/**
 * Whether this machine can run jglommio, and if not, why. The check creates (and closes) one small
 * ring the first time it is asked.
 *
 * {@snippet :
 * if (!IoUring.isAvailable()) {
 *     System.err.println("jglommio cannot run here: " + IoUring.unavailabilityCause().orElseThrow().getMessage());
 * }
 * }
 *
 * <p>Threading: any thread.
 */
public final class IoUring {

    private static final class Probe {
        static final Throwable CAUSE;
        static final int FEATURES;
        static final int SETUP_FLAGS;
        static final BitSet OPS;

        static {
            Throwable cause = null;
            int features = 0;
            int flags = 0;
            BitSet ops = new BitSet();
            try (Ring ring = Ring.create(2, IoUringParams.SETUP_SINGLE_ISSUER | IoUringParams.SETUP_DEFER_TASKRUN)) {
                features = ring.features();
                flags = ring.setupFlags();
                ops = ring.supportedOps();
            } catch (RingSetupException | RuntimeException | LinkageError e) {
                cause = e;
            }
            CAUSE = cause;
            FEATURES = features;
            SETUP_FLAGS = flags;
            OPS = ops;
        }
    }

    private IoUring() {
    }

    /** True when io_uring rings can be created in this process. */
    public static boolean isAvailable() {
        return Probe.CAUSE == null;
    }

    /** Why io_uring cannot be used (the message names the cause and the fix), or empty when it can. */
    public static Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(Probe.CAUSE);
    }

    /** Throws {@link IllegalStateException} with the cause when io_uring is unavailable. */
    static void ensureAvailable() {
        if (Probe.CAUSE != null) {
            throw new IllegalStateException("io_uring is not available: " + Probe.CAUSE.getMessage(), Probe.CAUSE);
        }
    }

    /** True when the kernel reports {@code opcode} (an {@code IORING_OP_*} value) as supported. */
    public static boolean isOperationSupported(int opcode) {
        return Probe.OPS.get(opcode);
    }

    /** {@code IORING_FEAT_*} bits the kernel reported. */
    public static int features() {
        return Probe.FEATURES;
    }

    /** True when a ring with {@code SINGLE_ISSUER | DEFER_TASKRUN} could be created (Linux 6.1+). */
    public static boolean hasDeferTaskrun() {
        return (Probe.SETUP_FLAGS & IoUringParams.SETUP_DEFER_TASKRUN) != 0;
    }

    /**
     * True when executors can batch the completions they wake up for
     * ({@link LocalExecutorBuilder#completionBatching}): io_uring's {@code min_wait_usec}, Linux 6.12+.
     */
    public static boolean supportsCompletionBatching() {
        return (Probe.FEATURES & IoUringParams.FEAT_EXT_ARG) != 0
                && (Probe.FEATURES & IoUringParams.FEAT_MIN_TIMEOUT) != 0;
    }

    /**
     * Submits an {@code IORING_OP_NOP} through the calling task's executor ring and parks until its
     * completion: the cost of one ring round trip, for diagnostics and benchmarks.
     *
     * @throws IllegalStateException outside a jglommio task
     * @throws java.util.concurrent.CancellationException when the task is cancelled
     */
    public static void nop() {
        Reactor r = Reactor.current();
        if (r == null) {
            throw new IllegalStateException("IoUring.nop() must be called from a jglommio task");
        }
        int res = r.submitAndAwait(Sqe.OP_NOP, -1, 0, 0, 0, 0, null);
        if (res < 0) {
            throw new IllegalStateException("IORING_OP_NOP failed: " + io.github.jglommio.sys.Errno.describe(res));
        }
    }

    /** A one-line summary for diagnostics: availability, features and the number of supported opcodes. */
    public static String describe() {
        if (Probe.CAUSE != null) {
            return "io_uring unavailable: " + Probe.CAUSE.getMessage();
        }
        return "io_uring available: features=0x" + Integer.toHexString(Probe.FEATURES)
                + ", opcodes supported=" + Probe.OPS.cardinality()
                + ", defer_taskrun=" + hasDeferTaskrun();
    }
}
