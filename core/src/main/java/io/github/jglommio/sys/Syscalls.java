package io.github.jglommio.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Typed wrappers around the raw system calls jglommio needs. One {@code MethodHandle} per call.
 *
 * <p>Every wrapper returns the call's result, or {@code -errno} when the kernel reported an error;
 * none throws for a failed call. Calls that may be issued many times per second take an
 * {@code errnoSlot} (from {@link #newErrnoSlot(Arena)}) owned by the caller's thread, so the hot
 * path allocates nothing; the rare ones allocate their own.
 *
 * <p>No downcall here is marked {@code critical}: {@code io_uring_enter} may sleep in the kernel.
 */
public final class Syscalls {

    // x86_64 and aarch64 share the generic io_uring syscall numbers (include/uapi/asm-generic/unistd.h).
    private static final long SYS_IO_URING_SETUP = 425;
    private static final long SYS_IO_URING_ENTER = 426;
    private static final long SYS_IO_URING_REGISTER = 427;

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_POPULATE = 0x08000;
    public static final int EFD_CLOEXEC = 0x80000;
    public static final int EFD_NONBLOCK = 0x800;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // long syscall(long number, ...): the variadic arguments start at index 1.
    private static final MethodHandle SYSCALL4 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle SYSCALL6 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle SYSCALL2 = downcall("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle PWRITE = downcall("pwrite",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO);
    private static final MethodHandle EVENTFD = downcall("eventfd",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle GETTID = downcall("gettid",
            FunctionDescriptor.of(JAVA_INT));

    private Syscalls() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    /** Allocates a slot that receives errno after a call; reuse it from one thread at a time. */
    public static MemorySegment newErrnoSlot(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    private static int errno(MemorySegment slot) {
        return (int) ERRNO.get(slot, 0L);
    }

    /** {@code io_uring_setup(2)}: the ring fd, or {@code -errno}. {@code params} is {@link IoUringParams#LAYOUT}. */
    public static int ioUringSetup(int entries, MemorySegment params) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = newErrnoSlot(arena);
            long r = (long) SYSCALL2.invokeExact(slot, SYS_IO_URING_SETUP, (long) entries, params.address());
            return r < 0 ? -errno(slot) : (int) r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * {@code io_uring_enter(2)}: the number of SQEs consumed, or {@code -errno}. May sleep when
     * {@code flags} has {@code IORING_ENTER_GETEVENTS} and {@code minComplete > 0}.
     */
    public static int ioUringEnter(int fd, int toSubmit, int minComplete, int flags, long argAddress, long argSize,
                                   MemorySegment errnoSlot) {
        try {
            long r = (long) SYSCALL6.invokeExact(errnoSlot, SYS_IO_URING_ENTER, (long) fd, (long) toSubmit,
                    (long) minComplete, (long) flags, argAddress, argSize);
            return r < 0 ? -errno(errnoSlot) : (int) r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code io_uring_register(2)}: the call's result, or {@code -errno}. */
    public static int ioUringRegister(int fd, int opcode, long argAddress, int nrArgs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = newErrnoSlot(arena);
            long r = (long) SYSCALL4.invokeExact(slot, SYS_IO_URING_REGISTER, (long) fd, (long) opcode, argAddress,
                    (long) nrArgs);
            return r < 0 ? -errno(slot) : (int) r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code mmap(2)} of a file (here: ring) mapping: the address, or {@code -errno}. */
    public static long mmap(long length, int prot, int flags, int fd, long offset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = newErrnoSlot(arena);
            long r = (long) MMAP.invokeExact(slot, 0L, length, prot, flags, fd, offset);
            return r == -1L ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code munmap(2)}: 0, or {@code -errno}. */
    public static int munmap(long address, long length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = newErrnoSlot(arena);
            int r = (int) MUNMAP.invokeExact(slot, address, length);
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code close(2)}: 0, or {@code -errno}. */
    public static int close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = newErrnoSlot(arena);
            int r = (int) CLOSE.invokeExact(slot, fd);
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code eventfd(2)}: the new fd, or {@code -errno}. */
    public static int eventfd(int initval, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = newErrnoSlot(arena);
            int r = (int) EVENTFD.invokeExact(slot, initval, flags);
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code write(2)}: bytes written, or {@code -errno}. */
    public static long write(int fd, MemorySegment buf, long length, MemorySegment errnoSlot) {
        try {
            long r = (long) WRITE.invokeExact(errnoSlot, fd, buf, length);
            return r < 0 ? -errno(errnoSlot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code pwrite(2)} at {@code offset}: bytes written (possibly fewer than {@code length}), or {@code -errno}. */
    public static long pwrite(int fd, MemorySegment buf, long length, long offset, MemorySegment errnoSlot) {
        try {
            long r = (long) PWRITE.invokeExact(errnoSlot, fd, buf, length, offset);
            return r < 0 ? -errno(errnoSlot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code read(2)}: bytes read, or {@code -errno}. */
    public static long read(int fd, MemorySegment buf, long length, MemorySegment errnoSlot) {
        try {
            long r = (long) READ.invokeExact(errnoSlot, fd, buf, length);
            return r < 0 ? -errno(errnoSlot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Adds 1 to an eventfd counter: the cross-thread wake-up. Called from any thread; allocates a
     * confined 8-byte buffer, which is acceptable because wakes only happen when the target sleeps.
     */
    public static int eventfdWrite(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment slot = newErrnoSlot(arena);
            MemorySegment one = arena.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1L);
            return (int) write(fd, one, 8, slot);
        }
    }

    /** {@code gettid(2)}: the kernel id of the calling platform (carrier) thread. */
    public static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

}
