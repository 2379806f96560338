package io.github.jglommio.reactor;

import io.github.jglommio.sys.Errno;
import io.github.jglommio.sys.NativeMemory;
import io.github.jglommio.sys.Syscalls;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The executor's I/O memory: page-aligned native buffers in power-of-two size classes (4 KiB .. 4 MiB;
 * larger ones are allocated exactly), recycled through free lists. With {@code ioMemory > 0} the pool
 * first carves buffers from one region registered with the ring ({@code IORING_REGISTER_BUFFERS}), so
 * reads and writes into them can use {@code READ_FIXED}/{@code WRITE_FIXED}; when the registration does
 * not fit {@code RLIMIT_MEMLOCK} it logs once and uses plain memory.
 *
 * <p>Owner thread only, except {@link #track}'s releases, which any thread (or the cleaner) may run: they
 * go through a concurrent queue drained on the owner thread at the next allocation.
 */
public final class BufferPool implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BufferPool.class.getName());
    private static final Cleaner CLEANER = Cleaner.create();
    /** {@code IORING_REGISTER_BUFFERS}. */
    private static final int REGISTER_BUFFERS = 0;
    static final int PAGE = 4096;
    private static final int CLASSES = 11; // 4 KiB << 0 .. 4 MiB
    /** Cached free memory above this is returned to libc. */
    private static final long MAX_CACHED = 64L << 20;

    private final ArrayDeque<MemorySegment>[] free;
    private final ConcurrentLinkedQueue<IoBuffer> orphans = new ConcurrentLinkedQueue<>();
    private MemorySegment registered;
    private long registeredUsed;
    private long cachedBytes;
    private long allocatedBytes;
    private boolean closed;

    /** Returns one reference to the pool's queue; run by close() or by the cleaner. Holds no holder reference. */
    private record Release(BufferPool pool, IoBuffer buffer) implements Runnable {
        @Override
        public void run() {
            pool.orphans.add(buffer);
        }
    }

    @SuppressWarnings("unchecked")
    BufferPool(io.github.jglommio.sys.Ring ring, long ioMemory) {
        this.free = new ArrayDeque[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new ArrayDeque<>();
        }
        if (ioMemory > 0) {
            register(ring, ioMemory);
        }
    }

    private void register(io.github.jglommio.sys.Ring ring, long ioMemory) {
        long size = (ioMemory + PAGE - 1) & ~(long) (PAGE - 1);
        MemorySegment region = NativeMemory.allocate(size, PAGE);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(16, 8);
            iov.set(JAVA_LONG, 0, region.address());
            iov.set(JAVA_LONG, 8, size);
            int r = Syscalls.ioUringRegister(ring.fd(), REGISTER_BUFFERS, iov.address(), 1);
            if (r < 0) {
                NativeMemory.free(region);
                LOG.log(Level.INFO, "ioMemory: registering " + (size >> 10) + " KiB of buffers with io_uring failed ("
                        + Errno.describe(r) + "; RLIMIT_MEMLOCK, 'ulimit -l', may be too small); using unregistered "
                        + "buffers (plain READ/WRITE)");
                return;
            }
        }
        registered = region;
    }

    /** True when a registered region is in use. */
    public boolean hasRegisteredMemory() {
        return registered != null;
    }

    private static int sizeClass(long size) {
        long s = Math.max(size, PAGE);
        int c = 64 - Long.numberOfLeadingZeros(s - 1) - 12; // ceil(log2(s)) - 12
        return c < CLASSES ? c : -1;
    }

    /**
     * A zero-filled-once (content unspecified on reuse) buffer of at least {@code size} bytes, aligned
     * to 4096. Owner thread.
     */
    public IoBuffer allocate(long size) {
        if (closed) {
            throw new IllegalStateException("the executor's buffer pool is closed");
        }
        if (size <= 0) {
            throw new IllegalArgumentException("buffer size must be positive, got " + size);
        }
        drainOrphans();
        int c = sizeClass(size);
        IoBuffer b;
        if (c < 0) {
            b = new IoBuffer(this, NativeMemory.allocate(size, PAGE), -1, -1);
            allocatedBytes += size;
        } else {
            long classSize = (long) PAGE << c;
            MemorySegment m = free[c].pollFirst();
            if (m != null) {
                cachedBytes -= classSize;
            } else if (registered != null && registeredUsed + classSize <= registered.byteSize()) {
                m = registered.asSlice(registeredUsed, classSize);
                registeredUsed += classSize;
            } else {
                m = NativeMemory.allocate(classSize, PAGE);
                allocatedBytes += classSize;
            }
            b = new IoBuffer(this, m, c, isRegistered(m) ? 0 : -1);
        }
        return b;
    }

    /**
     * Makes {@code holder} own one reference of {@code buffer}: the returned cleanable's
     * {@code clean()} (the holder's close) or the holder becoming unreachable gives the reference
     * back. Any thread may close; the memory is recycled on the owner thread at the next allocation.
     */
    public Cleaner.Cleanable track(Object holder, IoBuffer buffer) {
        return CLEANER.register(holder, new Release(this, buffer));
    }

    private boolean isRegistered(MemorySegment m) {
        return registered != null && m.address() >= registered.address()
                && m.address() < registered.address() + registered.byteSize();
    }

    void recycle(IoBuffer b) {
        if (closed) {
            if (!isRegistered(b.memory)) {
                NativeMemory.free(b.memory);
            }
            return;
        }
        if (b.sizeClass < 0) {
            NativeMemory.free(b.memory);
            allocatedBytes -= b.memory.byteSize();
            return;
        }
        long classSize = (long) PAGE << b.sizeClass;
        if (!isRegistered(b.memory) && cachedBytes + classSize > MAX_CACHED) {
            NativeMemory.free(b.memory);
            allocatedBytes -= classSize;
            return;
        }
        free[b.sizeClass].addFirst(b.memory);
        cachedBytes += classSize;
    }

    /** Applies the references given back since the last call. Owner thread. */
    public void drainOrphans() {
        IoBuffer b;
        while ((b = orphans.poll()) != null) {
            b.release();
        }
    }

    /** Bytes allocated from libc and not yet freed (registered region excluded). */
    public long allocatedBytes() {
        return allocatedBytes;
    }

    /**
     * Frees cached memory and the registered region. Buffers still held by user code are freed when
     * released. Owner thread; call only when no operation is in flight.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        drainOrphans();
        closed = true;
        for (ArrayDeque<MemorySegment> list : free) {
            for (MemorySegment m : list) {
                if (!isRegistered(m)) {
                    NativeMemory.free(m);
                }
            }
            list.clear();
        }
        // The registered region is unregistered with the ring's close; it may still back user-held
        // buffers, so it is deliberately kept (bounded by ioMemory) rather than freed under them.
    }
}
