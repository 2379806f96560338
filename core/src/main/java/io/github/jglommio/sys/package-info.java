/**
 * The only package that talks to the kernel: {@code java.lang.foreign} downcalls, syscall numbers,
 * errno values and kernel struct offsets (io_uring setup/enter/register, ring memory, eventfd).
 *
 * <p>Threading: everything here is thread-agnostic plumbing. A {@link io.github.jglommio.sys.Ring} is
 * owned by one executor thread; only its {@code wake} side ({@link io.github.jglommio.sys.Syscalls#eventfdWrite})
 * is called from other threads.
 *
 * <p>Errors: methods return {@code -errno} and never throw for a failed syscall; the layer above turns
 * the value into an {@link java.io.IOException} naming the operation and its target
 * (see {@link io.github.jglommio.sys.Errno}).
 *
 * <p>Not exported from the module: no user code depends on these types.
 */
package io.github.jglommio.sys;
