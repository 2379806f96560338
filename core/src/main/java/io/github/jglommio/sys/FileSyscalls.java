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
 * File system calls that io_uring has no operation for (or only on newer kernels): they run
 * synchronously on the calling thread, so the library calls them off the executor thread where they
 * may block. Each returns the result or {@code -errno}.
 */
public final class FileSyscalls {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle FTRUNCATE = handle("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle COPY_FILE_RANGE = handle("copy_file_range",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle GETDENTS64 = handle("getdents64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle PRLIMIT = handle("prlimit",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FSYNC = handle("fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    public static final int RLIMIT_FSIZE = 1;
    public static final int RLIMIT_NOFILE = 7;
    public static final int RLIMIT_MEMLOCK = 8;
    /** {@code RLIM_INFINITY}. */
    public static final long RLIM_INFINITY = -1L;

    private FileSyscalls() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        System.arraycopy(extra, 0, options, 0, extra.length);
        options[extra.length] = ERRNO;
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
    }

    private static int errno(MemorySegment slot) {
        return slot.get(JAVA_INT, 0);
    }

    /** {@code ftruncate(2)}. */
    public static int ftruncate(int fd, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            int r = (int) FTRUNCATE.invokeExact(slot, fd, length);
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code fsync(2)}. */
    public static int fsync(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            int r = (int) FSYNC.invokeExact(slot, fd);
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code copy_file_range(2)} with explicit offsets: bytes copied, or {@code -errno}. */
    public static long copyFileRange(int fdIn, long offIn, int fdOut, long offOut, long length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            MemorySegment in = a.allocate(JAVA_LONG);
            MemorySegment out = a.allocate(JAVA_LONG);
            in.set(JAVA_LONG, 0, offIn);
            out.set(JAVA_LONG, 0, offOut);
            long r = (long) COPY_FILE_RANGE.invokeExact(slot, fdIn, in, fdOut, out, length, 0);
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** {@code open(2)}: the fd, or {@code -errno}. {@code path} is a NUL-terminated string. */
    public static int open(MemorySegment path, int flags, int mode) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            int r = (int) OPEN.invokeExact(slot, path, flags, mode);
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * {@code getdents64(2)} into {@code buf}: bytes filled (0 at the end), or {@code -errno}. Entries
     * are {@code struct linux_dirent64}: d_ino u64, d_off s64, d_reclen u16, d_type u8, d_name[].
     */
    public static long getdents64(int fd, MemorySegment buf) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            long r = (long) GETDENTS64.invokeExact(slot, fd, buf, buf.byteSize());
            return r < 0 ? -errno(slot) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    // struct linux_dirent64 (include/linux/dirent.h): u64 d_ino; s64 d_off; unsigned short d_reclen;
    // unsigned char d_type; char d_name[] (NUL-terminated).
    private static final long D_RECLEN = 16;
    private static final long D_NAME = 19;

    /** The entry names in the first {@code length} bytes {@link #getdents64} filled into {@code buf}. */
    public static java.util.List<String> direntNames(MemorySegment buf, long length) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (long off = 0; off < length; off += buf.get(java.lang.foreign.ValueLayout.JAVA_SHORT, off + D_RECLEN) & 0xFFFF) {
            names.add(buf.getString(off + D_NAME));
        }
        return names;
    }

    /** The soft and hard limits of {@code resource} for this process, or null with errno in {@code err[0]}. */
    public static long[] getrlimit(int resource, int[] err) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            MemorySegment old = a.allocate(16, 8);
            int r = (int) PRLIMIT.invokeExact(slot, 0, resource, MemorySegment.NULL, old);
            if (r < 0) {
                err[0] = errno(slot);
                return null;
            }
            return new long[] {old.get(JAVA_LONG, 0), old.get(JAVA_LONG, 8)};
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Sets the soft and hard limits of {@code resource} for this process: 0 or {@code -errno}. */
    public static int setrlimit(int resource, long soft, long hard) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment slot = Syscalls.newErrnoSlot(a);
            MemorySegment lim = a.allocate(16, 8);
            lim.set(JAVA_LONG, 0, soft);
            lim.set(JAVA_LONG, 8, hard);
            int r = (int) PRLIMIT.invokeExact(slot, 0, resource, lim, MemorySegment.NULL);
            return r < 0 ? -errno(slot) : 0;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
