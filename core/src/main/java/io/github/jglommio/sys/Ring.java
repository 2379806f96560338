package io.github.jglommio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One io_uring instance: its fd, mapped SQ/CQ rings, features and supported opcodes.
 *
 * <p>Owned by one thread (the executor's); created with {@link #create(int, int)} on that thread when
 * {@code SINGLE_ISSUER} is requested, because the kernel binds the ring to its creator. Not thread-safe.
 */
public final class Ring implements AutoCloseable {

    /** {@code IORING_REGISTER_PROBE}. */
    private static final int REGISTER_PROBE = 8;
    /** {@code IO_URING_OP_SUPPORTED}. */
    private static final int OP_SUPPORTED = 1;
    /** Probe entries requested: room for every opcode a 6.x kernel knows. */
    private static final int PROBE_OPS = 256;

    private final int fd;
    private final int flags;
    private final int features;
    private final BitSet supportedOps;
    private final long sqRingAddress;
    private final long sqRingSize;
    private final long cqRingAddress;
    private final long cqRingSize;
    private final long sqesAddress;
    private final long sqesSize;
    private final SubmissionQueue sq;
    private final CompletionQueue cq;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errnoSlot = Syscalls.newErrnoSlot(arena);
    private boolean closed;

    private Ring(int fd, MemorySegment params) throws RingSetupException {
        this.fd = fd;
        this.flags = params.get(JAVA_INT, IoUringParams.FLAGS);
        this.features = params.get(JAVA_INT, IoUringParams.FEATURES);
        int sqEntries = params.get(JAVA_INT, IoUringParams.SQ_ENTRIES);
        int cqEntries = params.get(JAVA_INT, IoUringParams.CQ_ENTRIES);
        long sqSize = IoUringParams.sqOffset(params, "array") + 4L * sqEntries;
        long cqSize = IoUringParams.cqOffset(params, "cqes") + Cqe.SIZE * cqEntries;
        if ((features & IoUringParams.FEAT_SINGLE_MMAP) != 0) {
            sqSize = cqSize = Math.max(sqSize, cqSize);
        }
        long sqAddr = map(fd, sqSize, IoUringParams.OFF_SQ_RING);
        long cqAddr = (features & IoUringParams.FEAT_SINGLE_MMAP) != 0 ? sqAddr : 0;
        long sqesAddr = 0;
        try {
            if (cqAddr == 0) {
                cqAddr = map(fd, cqSize, IoUringParams.OFF_CQ_RING);
            }
            sqesAddr = map(fd, Sqe.SIZE * sqEntries, IoUringParams.OFF_SQES);
        } catch (RingSetupException e) {
            Syscalls.munmap(sqAddr, sqSize);
            if (cqAddr != 0 && cqAddr != sqAddr) {
                Syscalls.munmap(cqAddr, cqSize);
            }
            throw e;
        }
        this.sqRingAddress = sqAddr;
        this.sqRingSize = sqSize;
        this.cqRingAddress = cqAddr;
        this.cqRingSize = cqSize;
        this.sqesAddress = sqesAddr;
        this.sqesSize = Sqe.SIZE * sqEntries;
        this.sq = new SubmissionQueue(MemorySegment.ofAddress(sqAddr).reinterpret(sqSize),
                MemorySegment.ofAddress(sqesAddr).reinterpret(sqesSize), params);
        this.cq = new CompletionQueue(MemorySegment.ofAddress(cqAddr).reinterpret(cqSize), params);
        this.supportedOps = probe(fd);
    }

    private static long map(int fd, long size, long offset) throws RingSetupException {
        long addr = Syscalls.mmap(size, Syscalls.PROT_READ | Syscalls.PROT_WRITE,
                Syscalls.MAP_SHARED | Syscalls.MAP_POPULATE, fd, offset);
        if (addr < 0 && addr > -4096) {
            throw new RingSetupException((int) -addr, "mmap of io_uring ring (offset 0x" + Long.toHexString(offset)
                    + ", " + size + " bytes) failed: " + Errno.describe((int) addr));
        }
        return addr;
    }

    private static BitSet probe(int fd) {
        BitSet ops = new BitSet();
        try (Arena a = Arena.ofConfined()) {
            // struct io_uring_probe: 16-byte header + ops[] of struct io_uring_probe_op (8 bytes each)
            MemorySegment p = a.allocate(16 + 8L * PROBE_OPS, 8);
            int r = Syscalls.ioUringRegister(fd, REGISTER_PROBE, p.address(), PROBE_OPS);
            if (r < 0) {
                return ops;
            }
            int opsLen = p.get(JAVA_BYTE, 1) & 0xFF;
            for (int i = 0; i < opsLen; i++) {
                long base = 16 + 8L * i;
                int op = p.get(JAVA_BYTE, base) & 0xFF;
                int opFlags = p.get(JAVA_SHORT, base + 2) & 0xFFFF;
                if ((opFlags & OP_SUPPORTED) != 0) {
                    ops.set(op);
                }
            }
        }
        return ops;
    }

    /**
     * Creates a ring with {@code entries} SQEs (rounded up to a power of two by the kernel, CQ twice
     * that) and the preferred setup {@code flags}. Flags the kernel rejects with EINVAL are dropped
     * in this order: DEFER_TASKRUN (with SINGLE_ISSUER), TASKRUN_FLAG/COOP_TASKRUN, SUBMIT_ALL.
     *
     * @throws RingSetupException with errno and an explanation when no ring can be created
     */
    public static Ring create(int entries, int flags) throws RingSetupException {
        int[] attempts = {
                flags,
                flags & ~(IoUringParams.SETUP_DEFER_TASKRUN | IoUringParams.SETUP_SINGLE_ISSUER),
                flags & ~(IoUringParams.SETUP_DEFER_TASKRUN | IoUringParams.SETUP_SINGLE_ISSUER
                        | IoUringParams.SETUP_COOP_TASKRUN | IoUringParams.SETUP_TASKRUN_FLAG),
                flags & (IoUringParams.SETUP_CQSIZE | IoUringParams.SETUP_CLAMP),
        };
        int lastErr = 0;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment params = a.allocate(IoUringParams.LAYOUT);
            for (int attempt : attempts) {
                params.fill((byte) 0);
                params.set(JAVA_INT, IoUringParams.FLAGS, attempt | IoUringParams.SETUP_CLAMP);
                int fd = Syscalls.ioUringSetup(entries, params);
                if (fd >= 0) {
                    try {
                        return new Ring(fd, params);
                    } catch (RingSetupException e) {
                        Syscalls.close(fd);
                        throw e;
                    }
                }
                lastErr = -fd;
                if (lastErr != Errno.EINVAL) {
                    break;
                }
            }
        }
        throw new RingSetupException(lastErr, explainSetupFailure(lastErr, entries));
    }

    /** Why io_uring_setup failed, and what to do about it. */
    static String explainSetupFailure(int errno, int entries) {
        String base = "io_uring_setup(" + entries + ") failed: " + Errno.describe(errno) + ". ";
        return switch (errno) {
            case Errno.ENOSYS -> base + "This kernel has no io_uring (Linux >= 5.11 is needed, 6.1+ recommended), "
                    + "or a seccomp filter blocks the io_uring_* syscalls.";
            case Errno.EPERM -> base + describeDisabled();
            case Errno.ENOMEM -> base + "The kernel could not allocate the ring: raise RLIMIT_MEMLOCK (ulimit -l) "
                    + "or lower the ring depth.";
            case Errno.EMFILE, Errno.ENFILE -> base + "The process is out of file descriptors (ulimit -n).";
            default -> base + "Check the ring depth (1..32768) and the kernel version.";
        };
    }

    /** Explains EPERM from io_uring_setup using /proc/sys/kernel/io_uring_disabled. */
    static String describeDisabled() {
        String value;
        try {
            value = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/io_uring_disabled")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            value = "";
        }
        return switch (value) {
            case "2" -> "io_uring is disabled for all processes: /proc/sys/kernel/io_uring_disabled is 2 "
                    + "(set it to 0: sysctl kernel.io_uring_disabled=0).";
            case "1" -> "io_uring is restricted: /proc/sys/kernel/io_uring_disabled is 1, so only processes in "
                    + "kernel.io_uring_group (or with CAP_SYS_ADMIN) may create rings.";
            default -> "/proc/sys/kernel/io_uring_disabled is " + (value.isEmpty() ? "not readable" : value)
                    + ", so a seccomp filter most likely blocks io_uring (Docker and many container runtimes do "
                    + "by default): run with a seccomp profile that allows io_uring_setup, io_uring_enter and "
                    + "io_uring_register.";
        };
    }

    /**
     * {@code io_uring_enter(2)} on this ring. Returns SQEs consumed or {@code -errno}.
     * {@code argAddress}/{@code argSize} carry an {@code io_uring_getevents_arg} with {@code ENTER_EXT_ARG}.
     */
    public int enter(int toSubmit, int minComplete, int enterFlags, long argAddress, long argSize) {
        return Syscalls.ioUringEnter(fd, toSubmit, minComplete, enterFlags, argAddress, argSize, errnoSlot);
    }

    public SubmissionQueue sq() {
        return sq;
    }

    public CompletionQueue cq() {
        return cq;
    }

    public int fd() {
        return fd;
    }

    /** The setup flags the kernel accepted ({@code IORING_SETUP_*}). */
    public int setupFlags() {
        return flags;
    }

    /** {@code IORING_FEAT_*} bits. */
    public int features() {
        return features;
    }

    public boolean hasFeature(int feature) {
        return (features & feature) == feature;
    }

    /** True when {@code IORING_REGISTER_PROBE} reported {@code opcode} as supported. */
    public boolean supports(int opcode) {
        return supportedOps.get(opcode & 0xFF);
    }

    /** The supported opcodes, as reported by the probe. */
    public BitSet supportedOps() {
        return (BitSet) supportedOps.clone();
    }

    /** Unmaps the rings and closes the fd. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Syscalls.munmap(sqesAddress, sqesSize);
        if (cqRingAddress != sqRingAddress) {
            Syscalls.munmap(cqRingAddress, cqRingSize);
        }
        Syscalls.munmap(sqRingAddress, sqRingSize);
        Syscalls.close(fd);
        arena.close();
    }

}
