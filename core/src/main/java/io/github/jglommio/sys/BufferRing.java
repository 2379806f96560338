package io.github.jglommio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A provided-buffer ring ({@code IORING_REGISTER_PBUF_RING}, kernel 5.19+): {@code entries} buffers of
 * {@code bufferSize} bytes that the kernel picks from when an SQE carries {@code IOSQE_BUFFER_SELECT}
 * and this ring's group id. A completion that used one reports it with {@link Cqe#F_BUFFER} and its id
 * in the upper 16 bits of the flags ({@link #bufferId}); the user gives it back with {@link #recycle}
 * once the bytes are consumed.
 *
 * <p>Memory: the ring array ({@code struct io_uring_buf}, 16 bytes per entry, page aligned) and the
 * buffers are one block of libc memory owned by this object. The kernel pins the ring array only; the
 * buffers are ordinary memory it copies into. Freed by {@link #close} after the io_uring is closed or
 * the ring unregistered (the kernel may write into a buffer until then).
 *
 * <p>Threading: the owner thread of the io_uring only (the tail is published with a release store;
 * the kernel reads it with an acquire load).
 */
public final class BufferRing implements AutoCloseable {

    /** {@code IORING_REGISTER_PBUF_RING} / {@code IORING_UNREGISTER_PBUF_RING}. */
    private static final int REGISTER_PBUF_RING = 22;
    private static final int UNREGISTER_PBUF_RING = 23;
    /** {@code IORING_CQE_BUFFER_SHIFT}. */
    private static final int CQE_BUFFER_SHIFT = 16;
    /** {@code struct io_uring_buf}: addr (u64), len (u32), bid (u16), resv (u16). */
    static final long BUF_SIZE = 16;
    static final long BUF_ADDR = 0;
    static final long BUF_LEN = 8;
    static final long BUF_BID = 12;
    /** {@code io_uring_buf_ring.tail} overlays {@code bufs[0].resv}. */
    static final long RING_TAIL = 14;
    /** {@code struct io_uring_buf_reg}: ring_addr (u64), ring_entries (u32), bgid (u16), pad, resv[3]. */
    static final long REG_SIZE = 40;
    static final long REG_RING_ADDR = 0;
    static final long REG_RING_ENTRIES = 8;
    static final long REG_BGID = 12;
    private static final long PAGE = 4096;
    private static final VarHandle SHORT = JAVA_SHORT.varHandle();

    private final int ringFd;
    private final short groupId;
    private final int mask;
    private final int bufferSize;
    private final MemorySegment block;
    private final MemorySegment ring;
    private final MemorySegment buffers;
    private final long buffersAddress;
    private short tail;
    private boolean registered;

    private BufferRing(int ringFd, short groupId, int entries, int bufferSize, MemorySegment block) {
        this.ringFd = ringFd;
        this.groupId = groupId;
        this.mask = entries - 1;
        this.bufferSize = bufferSize;
        this.block = block;
        long ringBytes = align(entries * BUF_SIZE);
        this.ring = block.asSlice(0, ringBytes);
        this.buffers = block.asSlice(ringBytes, (long) entries * bufferSize);
        this.buffersAddress = buffers.address();
    }

    /**
     * Allocates and registers a ring of {@code entries} (a power of two, at most 32768) buffers of
     * {@code bufferSize} bytes as group {@code groupId} of the io_uring {@code ringFd}, every buffer
     * given to the kernel. Returns the ring, or throws {@link IllegalStateException} with the errno
     * when the kernel refuses (older than 5.19, memlock limit): callers fall back to plain receives.
     */
    public static BufferRing register(int ringFd, int groupId, int entries, int bufferSize) {
        if (Integer.bitCount(entries) != 1 || entries > 32768) {
            throw new IllegalArgumentException("entries must be a power of two <= 32768, got " + entries);
        }
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("bufferSize must be positive, got " + bufferSize);
        }
        MemorySegment block = NativeMemory.allocate(align(entries * BUF_SIZE) + (long) entries * bufferSize, PAGE);
        BufferRing r = new BufferRing(ringFd, (short) groupId, entries, bufferSize, block);
        int res;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(REG_SIZE, 8);
            reg.set(JAVA_LONG, REG_RING_ADDR, r.ring.address());
            reg.set(JAVA_INT, REG_RING_ENTRIES, entries);
            reg.set(JAVA_SHORT, REG_BGID, (short) groupId);
            res = Syscalls.ioUringRegister(ringFd, REGISTER_PBUF_RING, reg.address(), 1);
        }
        if (res < 0) {
            NativeMemory.free(block);
            throw new IllegalStateException("io_uring_register(PBUF_RING) failed: " + Errno.describe(res));
        }
        r.registered = true;
        for (int bid = 0; bid < entries; bid++) {
            r.put(bid);
        }
        r.publish();
        return r;
    }

    private static long align(long n) {
        return (n + PAGE - 1) & -PAGE;
    }

    /** The group id SQEs name in {@code buf_group}. */
    public short groupId() {
        return groupId;
    }

    /** Bytes per buffer. */
    public int bufferSize() {
        return bufferSize;
    }

    /** The buffer id a completion's {@code flags} carry (valid when {@link Cqe#F_BUFFER} is set). */
    public static int bufferId(int cqeFlags) {
        return cqeFlags >>> CQE_BUFFER_SHIFT;
    }

    /** The native address of buffer {@code bid}. */
    private long address(int bid) {
        return buffersAddress + (long) bid * bufferSize;
    }

    /**
     * All buffers, one after another: buffer {@code bid} starts at {@code bid * bufferSize()}. Read a
     * buffer after its completion, until {@link #recycle}.
     */
    public MemorySegment memory() {
        return buffers;
    }

    /** Gives buffer {@code bid} back to the kernel. */
    public void recycle(int bid) {
        put(bid);
        publish();
    }

    private void put(int bid) {
        long e = (tail & mask) * BUF_SIZE;
        ring.set(JAVA_LONG, e + BUF_ADDR, address(bid));
        ring.set(JAVA_INT, e + BUF_LEN, bufferSize);
        ring.set(JAVA_SHORT, e + BUF_BID, (short) bid);
        tail++;
    }

    private void publish() {
        // Release: the entries written above are visible before the kernel sees the new tail
        // (io_uring_buf_ring_advance's smp_store_release; the kernel reads it with smp_load_acquire).
        SHORT.setRelease(ring, RING_TAIL, tail);
    }

    /**
     * Unregisters the ring (when still registered and {@code unregister}) and frees its memory. Call
     * only when the kernel can no longer write into it: after every operation that selects from it has
     * completed, or after the io_uring itself was closed (then pass false).
     */
    public void close(boolean unregister) {
        if (unregister && registered) {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment reg = a.allocate(REG_SIZE, 8);
                reg.set(JAVA_SHORT, REG_BGID, groupId);
                Syscalls.ioUringRegister(ringFd, UNREGISTER_PBUF_RING, reg.address(), 1);
            }
        }
        registered = false;
        NativeMemory.free(block);
    }

    @Override
    public void close() {
        close(true);
    }
}
