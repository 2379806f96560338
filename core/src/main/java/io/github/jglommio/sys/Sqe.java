package io.github.jglommio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct io_uring_sqe} (64 bytes; include/uapi/linux/io_uring.h), its opcodes and flags, and
 * the writers that fill one in the mapped SQE array. Unions are named after their first member.
 */
public final class Sqe {

    // enum io_uring_op
    public static final byte OP_NOP = 0;
    public static final byte OP_READV = 1;
    public static final byte OP_WRITEV = 2;
    public static final byte OP_FSYNC = 3;
    public static final byte OP_READ_FIXED = 4;
    public static final byte OP_WRITE_FIXED = 5;
    public static final byte OP_POLL_ADD = 6;
    public static final byte OP_POLL_REMOVE = 7;
    public static final byte OP_TIMEOUT = 11;
    public static final byte OP_TIMEOUT_REMOVE = 12;
    public static final byte OP_ACCEPT = 13;
    public static final byte OP_ASYNC_CANCEL = 14;
    public static final byte OP_LINK_TIMEOUT = 15;
    public static final byte OP_CONNECT = 16;
    public static final byte OP_SYNC_FILE_RANGE = 8;
    public static final byte OP_SENDMSG = 9;
    public static final byte OP_RECVMSG = 10;
    public static final byte OP_FALLOCATE = 17;
    public static final byte OP_OPENAT = 18;
    public static final byte OP_CLOSE = 19;
    public static final byte OP_STATX = 21;
    public static final byte OP_READ = 22;
    public static final byte OP_WRITE = 23;
    public static final byte OP_SEND = 26;
    public static final byte OP_RECV = 27;
    public static final byte OP_SHUTDOWN = 34;
    public static final byte OP_RENAMEAT = 35;
    public static final byte OP_UNLINKAT = 36;
    public static final byte OP_MKDIRAT = 37;
    public static final byte OP_MSG_RING = 40;
    public static final byte OP_SOCKET = 45;
    public static final byte OP_SEND_ZC = 47;
    public static final byte OP_SENDMSG_ZC = 48;
    // Newer than this machine's header (from the kernel's include/uapi/linux/io_uring.h):
    public static final byte OP_READ_MULTISHOT = 49;
    public static final byte OP_FTRUNCATE = 55;

    // IOSQE_* (sqe.flags)
    public static final byte FLAG_FIXED_FILE = 1;
    public static final byte FLAG_IO_DRAIN = 1 << 1;
    public static final byte FLAG_IO_LINK = 1 << 2;
    public static final byte FLAG_ASYNC = 1 << 4;
    /** {@code IOSQE_BUFFER_SELECT}: the kernel picks the buffer from the group in {@code buf_group}. */
    public static final byte FLAG_BUFFER_SELECT = 1 << 5;
    public static final byte FLAG_CQE_SKIP_SUCCESS = 1 << 6;

    // IORING_TIMEOUT_* (timeout_flags) and IORING_ASYNC_CANCEL_* (cancel_flags)
    public static final int TIMEOUT_ABS = 1;
    public static final int TIMEOUT_UPDATE = 1 << 1;
    public static final int ASYNC_CANCEL_ALL = 1;
    public static final int ASYNC_CANCEL_FD = 1 << 1;
    public static final int ASYNC_CANCEL_ANY = 1 << 2;
    /** {@code IORING_ACCEPT_MULTISHOT} (in sqe.ioprio). */
    public static final short ACCEPT_MULTISHOT = 1;
    /** {@code IORING_RECVSEND_POLL_FIRST}, {@code IORING_RECV_MULTISHOT} (in sqe.ioprio). */
    public static final short RECVSEND_POLL_FIRST = 1;
    public static final short RECV_MULTISHOT = 1 << 1;

    /** {@code struct io_uring_sqe}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_BYTE.withName("opcode"), JAVA_BYTE.withName("flags"), JAVA_SHORT.withName("ioprio"),
            JAVA_INT.withName("fd"), JAVA_LONG.withName("off"), JAVA_LONG.withName("addr"),
            JAVA_INT.withName("len"), JAVA_INT.withName("rw_flags"), JAVA_LONG.withName("user_data"),
            JAVA_SHORT.withName("buf_index"), JAVA_SHORT.withName("personality"),
            JAVA_INT.withName("splice_fd_in"), JAVA_LONG.withName("addr3"), JAVA_LONG.withName("pad2"));

    public static final long SIZE = LAYOUT.byteSize();
    public static final long OPCODE = offset("opcode");
    public static final long FLAGS = offset("flags");
    public static final long IOPRIO = offset("ioprio");
    public static final long FD = offset("fd");
    public static final long OFF = offset("off");
    public static final long ADDR = offset("addr");
    public static final long LEN = offset("len");
    public static final long RW_FLAGS = offset("rw_flags");
    public static final long USER_DATA = offset("user_data");
    public static final long BUF_INDEX = offset("buf_index");
    public static final long PERSONALITY = offset("personality");
    public static final long SPLICE_FD_IN = offset("splice_fd_in");
    public static final long ADDR3 = offset("addr3");

    private Sqe() {
    }

    private static long offset(String name) {
        return LAYOUT.byteOffset(groupElement(name));
    }

    /**
     * Fills the SQE at {@code base} of {@code sqes} with the common fields and zeroes every other
     * field, so a recycled entry never carries a previous operation's flags. Eight 64-bit stores on a
     * little-endian machine (x86_64, aarch64): opcode/flags/ioprio/fd share the first word, len and
     * the op-flags word the fourth.
     */
    public static void prepare(MemorySegment sqes, long base, byte opcode, int fd, long addr, int len, long off,
                               long userData) {
        sqes.set(JAVA_LONG, base, (opcode & 0xFFL) | ((long) fd << 32));
        sqes.set(JAVA_LONG, base + OFF, off);
        sqes.set(JAVA_LONG, base + ADDR, addr);
        sqes.set(JAVA_LONG, base + LEN, len & 0xFFFF_FFFFL);
        sqes.set(JAVA_LONG, base + USER_DATA, userData);
        sqes.set(JAVA_LONG, base + BUF_INDEX, 0L);
        sqes.set(JAVA_LONG, base + ADDR3, 0L);
        sqes.set(JAVA_LONG, base + ADDR3 + 8, 0L);
    }

    /** Sets the per-opcode flags word ({@code rw_flags}, {@code timeout_flags}, {@code cancel_flags}, ...). */
    public static void opFlags(MemorySegment sqes, long base, int value) {
        sqes.set(JAVA_INT, base + RW_FLAGS, value);
    }

    /** Sets {@code buf_index} (registered buffer for READ_FIXED/WRITE_FIXED). */
    public static void bufIndex(MemorySegment sqes, long base, int index) {
        sqes.set(JAVA_SHORT, base + BUF_INDEX, (short) index);
    }

    /** Sets {@code sqe.flags} ({@code IOSQE_*}). */
    public static void sqeFlags(MemorySegment sqes, long base, byte value) {
        sqes.set(JAVA_BYTE, base + FLAGS, value);
    }
}
