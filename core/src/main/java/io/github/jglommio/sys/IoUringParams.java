package io.github.jglommio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct io_uring_params}, {@code struct io_sqring_offsets} and {@code struct io_cqring_offsets}
 * from include/uapi/linux/io_uring.h, plus the setup/feature/enter flag bits. Offsets are derived from
 * the layouts; {@code IoUringLayoutTest} pins them to the kernel header's values.
 */
public final class IoUringParams {

    // IORING_SETUP_* (io_uring_params.flags)
    public static final int SETUP_IOPOLL = 1;
    public static final int SETUP_SQPOLL = 1 << 1;
    public static final int SETUP_CQSIZE = 1 << 3;
    public static final int SETUP_CLAMP = 1 << 4;
    public static final int SETUP_SUBMIT_ALL = 1 << 7;
    public static final int SETUP_COOP_TASKRUN = 1 << 8;
    public static final int SETUP_TASKRUN_FLAG = 1 << 9;
    public static final int SETUP_SINGLE_ISSUER = 1 << 12;
    public static final int SETUP_DEFER_TASKRUN = 1 << 13;

    // IORING_FEAT_* (io_uring_params.features)
    public static final int FEAT_SINGLE_MMAP = 1;
    public static final int FEAT_NODROP = 1 << 1;
    public static final int FEAT_SUBMIT_STABLE = 1 << 2;
    public static final int FEAT_FAST_POLL = 1 << 5;
    public static final int FEAT_EXT_ARG = 1 << 8;
    public static final int FEAT_NATIVE_WORKERS = 1 << 9;
    /** IORING_FEAT_MIN_TIMEOUT (6.12): io_uring_getevents_arg.min_wait_usec is honoured. */
    public static final int FEAT_MIN_TIMEOUT = 1 << 15;

    // IORING_ENTER_* (io_uring_enter flags)
    public static final int ENTER_GETEVENTS = 1;
    public static final int ENTER_EXT_ARG = 1 << 3;

    // IORING_SQ_* (sq ring flags word, written by the kernel)
    public static final int SQ_NEED_WAKEUP = 1;
    public static final int SQ_CQ_OVERFLOW = 1 << 1;
    public static final int SQ_TASKRUN = 1 << 2;

    // IORING_OFF_* (mmap offsets)
    public static final long OFF_SQ_RING = 0L;
    public static final long OFF_CQ_RING = 0x8000000L;
    public static final long OFF_SQES = 0x10000000L;

    /** {@code struct io_sqring_offsets}. */
    public static final StructLayout SQ_OFFSETS = MemoryLayout.structLayout(
            JAVA_INT.withName("head"), JAVA_INT.withName("tail"), JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"), JAVA_INT.withName("flags"), JAVA_INT.withName("dropped"),
            JAVA_INT.withName("array"), JAVA_INT.withName("resv1"), JAVA_LONG.withName("user_addr"));

    /** {@code struct io_cqring_offsets}. */
    public static final StructLayout CQ_OFFSETS = MemoryLayout.structLayout(
            JAVA_INT.withName("head"), JAVA_INT.withName("tail"), JAVA_INT.withName("ring_mask"),
            JAVA_INT.withName("ring_entries"), JAVA_INT.withName("overflow"), JAVA_INT.withName("cqes"),
            JAVA_INT.withName("flags"), JAVA_INT.withName("resv1"), JAVA_LONG.withName("user_addr"));

    /** {@code struct io_uring_params}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("sq_entries"), JAVA_INT.withName("cq_entries"), JAVA_INT.withName("flags"),
            JAVA_INT.withName("sq_thread_cpu"), JAVA_INT.withName("sq_thread_idle"), JAVA_INT.withName("features"),
            JAVA_INT.withName("wq_fd"), MemoryLayout.sequenceLayout(3, JAVA_INT).withName("resv"),
            SQ_OFFSETS.withName("sq_off"), CQ_OFFSETS.withName("cq_off"));

    public static final long SQ_ENTRIES = offset("sq_entries");
    public static final long CQ_ENTRIES = offset("cq_entries");
    public static final long FLAGS = offset("flags");
    public static final long SQ_THREAD_CPU = offset("sq_thread_cpu");
    public static final long SQ_THREAD_IDLE = offset("sq_thread_idle");
    public static final long FEATURES = offset("features");
    public static final long WQ_FD = offset("wq_fd");
    public static final long SQ_OFF = offset("sq_off");
    public static final long CQ_OFF = offset("cq_off");

    /**
     * {@code struct io_uring_getevents_arg}: the EXT_ARG argument of io_uring_enter. Linux 6.12
     * renamed the {@code pad} field of older headers (this machine's included) to
     * {@code min_wait_usec}.
     */
    public static final StructLayout GETEVENTS_ARG = MemoryLayout.structLayout(
            JAVA_LONG.withName("sigmask"), JAVA_INT.withName("sigmask_sz"), JAVA_INT.withName("min_wait_usec"),
            JAVA_LONG.withName("ts"));
    public static final long GETEVENTS_ARG_SIGMASK_SZ = GETEVENTS_ARG.byteOffset(groupElement("sigmask_sz"));
    public static final long GETEVENTS_ARG_MIN_WAIT_USEC = GETEVENTS_ARG.byteOffset(groupElement("min_wait_usec"));
    public static final long GETEVENTS_ARG_TS = GETEVENTS_ARG.byteOffset(groupElement("ts"));

    /** {@code struct __kernel_timespec}. */
    public static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));

    private IoUringParams() {
    }

    private static long offset(String name) {
        return LAYOUT.byteOffset(groupElement(name));
    }

    /** Offset of field {@code name} of {@code struct io_sqring_offsets} inside {@code io_uring_params}. */
    public static long sqOff(String name) {
        return SQ_OFF + SQ_OFFSETS.byteOffset(groupElement(name));
    }

    /** Offset of field {@code name} of {@code struct io_cqring_offsets} inside {@code io_uring_params}. */
    public static long cqOff(String name) {
        return CQ_OFF + CQ_OFFSETS.byteOffset(groupElement(name));
    }

    static int sqOffset(MemorySegment params, String name) {
        return params.get(JAVA_INT, sqOff(name));
    }

    static int cqOffset(MemorySegment params, String name) {
        return params.get(JAVA_INT, cqOff(name));
    }
}
