package io.github.jglommio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Aligned native memory from libc ({@code posix_memalign(3)}/{@code free(3)}) for I/O buffers: the
 * kernel reads and writes it after the submitting call returns, so it must not move and must outlive
 * the operation; its owner frees it explicitly (no GC-driven arena).
 */
public final class NativeMemory {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle POSIX_MEMALIGN = LINKER.downcallHandle(
            LINKER.defaultLookup().find("posix_memalign").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(JAVA_LONG));

    private NativeMemory() {
    }

    /**
     * {@code size} bytes aligned to {@code alignment} (a power of two, multiple of 8), zeroed.
     *
     * @throws OutOfMemoryError when libc cannot allocate
     */
    public static MemorySegment allocate(long size, long alignment) {
        long address;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            int r = (int) POSIX_MEMALIGN.invokeExact(out, alignment, size);
            if (r != 0) {
                throw new OutOfMemoryError("posix_memalign(" + alignment + ", " + size + ") failed: " + Errno.describe(r));
            }
            address = out.get(JAVA_LONG, 0);
        } catch (OutOfMemoryError e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        MemorySegment seg = MemorySegment.ofAddress(address).reinterpret(size);
        seg.fill((byte) 0);
        return seg;
    }

    /** Frees memory from {@link #allocate}. */
    public static void free(MemorySegment segment) {
        try {
            FREE.invokeExact(segment.address());
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
