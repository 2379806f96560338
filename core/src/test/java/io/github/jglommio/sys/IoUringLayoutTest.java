package io.github.jglommio.sys;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Pins every struct size and field offset jglommio uses to the values of
 * /usr/include/linux/io_uring.h (x86_64/aarch64 LP64 ABI).
 */
class IoUringLayoutTest {

    @Test
    void shouldMatchKernelSqeLayout() {
        assertEquals(64, Sqe.SIZE);
        assertEquals(0, Sqe.OPCODE);
        assertEquals(1, Sqe.FLAGS);
        assertEquals(2, Sqe.IOPRIO);
        assertEquals(4, Sqe.FD);
        assertEquals(8, Sqe.OFF);
        assertEquals(16, Sqe.ADDR);
        assertEquals(24, Sqe.LEN);
        assertEquals(28, Sqe.RW_FLAGS);
        assertEquals(32, Sqe.USER_DATA);
        assertEquals(40, Sqe.BUF_INDEX);
        assertEquals(42, Sqe.PERSONALITY);
        assertEquals(44, Sqe.SPLICE_FD_IN);
        assertEquals(48, Sqe.ADDR3);
    }

    @Test
    void shouldMatchKernelProvidedBufferRingLayout() {
        // struct io_uring_buf, the tail overlaid on bufs[0].resv, struct io_uring_buf_reg
        assertEquals(16, BufferRing.BUF_SIZE);
        assertEquals(0, BufferRing.BUF_ADDR);
        assertEquals(8, BufferRing.BUF_LEN);
        assertEquals(12, BufferRing.BUF_BID);
        assertEquals(14, BufferRing.RING_TAIL);
        assertEquals(40, BufferRing.REG_SIZE);
        assertEquals(0, BufferRing.REG_RING_ADDR);
        assertEquals(8, BufferRing.REG_RING_ENTRIES);
        assertEquals(12, BufferRing.REG_BGID);
        assertEquals(1 << 5, Sqe.FLAG_BUFFER_SELECT);
    }

    @Test
    void shouldMatchKernelCqeLayout() {
        assertEquals(16, Cqe.SIZE);
        assertEquals(0, Cqe.USER_DATA);
        assertEquals(8, Cqe.RES);
        assertEquals(12, Cqe.FLAGS);
    }

    @Test
    void shouldMatchKernelParamsLayout() {
        assertEquals(120, IoUringParams.LAYOUT.byteSize());
        assertEquals(40, IoUringParams.SQ_OFFSETS.byteSize());
        assertEquals(40, IoUringParams.CQ_OFFSETS.byteSize());
        assertEquals(0, IoUringParams.SQ_ENTRIES);
        assertEquals(4, IoUringParams.CQ_ENTRIES);
        assertEquals(8, IoUringParams.FLAGS);
        assertEquals(12, IoUringParams.SQ_THREAD_CPU);
        assertEquals(16, IoUringParams.SQ_THREAD_IDLE);
        assertEquals(20, IoUringParams.FEATURES);
        assertEquals(24, IoUringParams.WQ_FD);
        assertEquals(40, IoUringParams.SQ_OFF);
        assertEquals(80, IoUringParams.CQ_OFF);
        // struct io_sqring_offsets
        assertEquals(40, IoUringParams.sqOff("head"));
        assertEquals(44, IoUringParams.sqOff("tail"));
        assertEquals(48, IoUringParams.sqOff("ring_mask"));
        assertEquals(52, IoUringParams.sqOff("ring_entries"));
        assertEquals(56, IoUringParams.sqOff("flags"));
        assertEquals(60, IoUringParams.sqOff("dropped"));
        assertEquals(64, IoUringParams.sqOff("array"));
        assertEquals(72, IoUringParams.sqOff("user_addr"));
        // struct io_cqring_offsets
        assertEquals(80, IoUringParams.cqOff("head"));
        assertEquals(84, IoUringParams.cqOff("tail"));
        assertEquals(88, IoUringParams.cqOff("ring_mask"));
        assertEquals(92, IoUringParams.cqOff("ring_entries"));
        assertEquals(96, IoUringParams.cqOff("overflow"));
        assertEquals(100, IoUringParams.cqOff("cqes"));
        assertEquals(104, IoUringParams.cqOff("flags"));
        assertEquals(112, IoUringParams.cqOff("user_addr"));
    }

    @Test
    void shouldMatchGeteventsArgAndTimespecLayouts() {
        assertEquals(24, IoUringParams.GETEVENTS_ARG.byteSize());
        assertEquals(8, IoUringParams.GETEVENTS_ARG_SIGMASK_SZ);
        assertEquals(12, IoUringParams.GETEVENTS_ARG_MIN_WAIT_USEC);
        assertEquals(16, IoUringParams.GETEVENTS_ARG_TS);
        assertEquals(16, IoUringParams.TIMESPEC.byteSize());
    }

    @Test
    void shouldMatchKernelOpcodeAndFlagValues() {
        assertEquals(0, Sqe.OP_NOP);
        assertEquals(11, Sqe.OP_TIMEOUT);
        assertEquals(14, Sqe.OP_ASYNC_CANCEL);
        assertEquals(18, Sqe.OP_OPENAT);
        assertEquals(22, Sqe.OP_READ);
        assertEquals(23, Sqe.OP_WRITE);
        assertEquals(47, Sqe.OP_SEND_ZC);
        assertEquals(1 << 12, IoUringParams.SETUP_SINGLE_ISSUER);
        assertEquals(1 << 13, IoUringParams.SETUP_DEFER_TASKRUN);
        assertEquals(1 << 8, IoUringParams.FEAT_EXT_ARG);
        assertEquals(0x8000000L, IoUringParams.OFF_CQ_RING);
        assertEquals(0x10000000L, IoUringParams.OFF_SQES);
    }
}
