package io.github.jglommio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.BitSet;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * CPU affinity and NUMA memory policy of the calling (platform) thread: {@code sched_setaffinity(2)},
 * {@code sched_getaffinity(2)}, {@code sched_getcpu(3)} and {@code set_mempolicy(2)}. Returns
 * {@code -errno} on failure, never throws for a failed call.
 */
public final class Affinity {

    /** Bytes of the CPU mask passed to the kernel: room for 8192 CPUs (glibc's cpu_set_t holds 1024). */
    private static final int MASK_BYTES = 1024;
    /** {@code MPOL_DEFAULT}, {@code MPOL_PREFERRED}, {@code MPOL_BIND} (include/uapi/linux/mempolicy.h). */
    public static final int MPOL_DEFAULT = 0;
    public static final int MPOL_PREFERRED = 1;
    public static final int MPOL_BIND = 2;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle SETAFFINITY = handle("sched_setaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle GETAFFINITY = handle("sched_getaffinity",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    private static final MethodHandle GETCPU = LINKER.downcallHandle(LINKER.defaultLookup().find("sched_getcpu")
            .orElseThrow(), FunctionDescriptor.of(JAVA_INT));
    // long syscall(long number, ...) for set_mempolicy, which glibc does not wrap.
    private static final MethodHandle SYSCALL3 = handle("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(1));
    private static final long SYS_SET_MEMPOLICY = switch (System.getProperty("os.arch")) {
        case "aarch64" -> 237;
        default -> 238; // x86_64
    };

    private Affinity() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        System.arraycopy(extra, 0, options, 0, extra.length);
        options[extra.length] = ERRNO;
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
    }

    private static int errno(MemorySegment slot) {
        return slot.get(JAVA_INT, 0); // errno is the only field of the capture state on Linux
    }

    /** Restricts the calling thread to {@code cpus}: 0, or {@code -errno}. */
    public static int setThreadAffinity(BitSet cpus) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            MemorySegment mask = a.allocate(MASK_BYTES, 8);
            long[] words = cpus.toLongArray();
            for (int i = 0; i < words.length && i < MASK_BYTES / 8; i++) {
                mask.set(JAVA_LONG, 8L * i, words[i]);
            }
            int r = (int) SETAFFINITY.invokeExact(slot, 0, (long) MASK_BYTES, mask);
            return r < 0 ? -errno(slot) : 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The CPUs the calling thread may run on, or {@code null} with the errno in {@code err[0]}. */
    public static BitSet threadAffinity(int[] err) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            MemorySegment mask = a.allocate(MASK_BYTES, 8);
            int r = (int) GETAFFINITY.invokeExact(slot, 0, (long) MASK_BYTES, mask);
            if (r < 0) {
                err[0] = errno(slot);
                return null;
            }
            return BitSet.valueOf(mask.toArray(JAVA_LONG));
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The CPU the calling thread runs on right now ({@code sched_getcpu(3)}). */
    public static int currentCpu() {
        try {
            return (int) GETCPU.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * {@code set_mempolicy(mode, nodemask)} for the calling thread: memory it touches first comes from
     * {@code nodes}. {@code nodes} empty with {@link #MPOL_DEFAULT} restores the default. 0 or {@code -errno}.
     */
    public static int setThreadMemoryPolicy(int mode, BitSet nodes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            long[] words = nodes.toLongArray();
            MemorySegment mask = a.allocate(Math.max(8, 8L * words.length), 8);
            for (int i = 0; i < words.length; i++) {
                mask.set(JAVA_LONG, 8L * i, words[i]);
            }
            long maxNode = nodes.isEmpty() ? 0 : 8L * mask.byteSize() + 1;
            long r = (long) SYSCALL3.invokeExact(slot, SYS_SET_MEMPOLICY, (long) mode,
                    nodes.isEmpty() ? 0L : mask.address(), maxNode);
            return r < 0 ? -errno(slot) : 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
