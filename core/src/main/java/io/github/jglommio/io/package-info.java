/**
 * Storage I/O on io_uring: {@link io.github.jglommio.io.DmaFile} (O_DIRECT, aligned, zero-copy reads),
 * {@link io.github.jglommio.io.DmaBuffer}, {@link io.github.jglommio.io.ReadResult},
 * {@link io.github.jglommio.io.OpenOptions} and the file metadata operations; sequential streams with
 * read-ahead and write-behind ({@link io.github.jglommio.io.DmaStreamReader},
 * {@link io.github.jglommio.io.DmaStreamWriter}); write-once files whose concurrent reads share kernel
 * reads ({@link io.github.jglommio.io.ImmutableFile}); page-cache files
 * ({@link io.github.jglommio.io.BufferedFile} with {@link io.github.jglommio.io.StreamReader} and
 * {@link io.github.jglommio.io.StreamWriter}); {@link io.github.jglommio.io.Directory} (with an async
 * listing) and {@link io.github.jglommio.io.Files}.
 *
 * <p>Threading: a file, buffer or read result belongs to the executor of the task that created it;
 * use it from that executor's tasks ({@link java.lang.WrongThreadException} otherwise). Every
 * operation parks only the calling task.
 *
 * <p>Memory: buffers are native, page-aligned memory from the executor's pool (never heap arrays: the
 * kernel writes into them after the submitting call returns). Close a {@code DmaBuffer} or
 * {@code ReadResult} to return its memory at once; one that becomes unreachable unclosed is reclaimed
 * by a cleaner.
 *
 * <p>Errors: failures are {@link java.io.IOException}s naming the system call, the path and the errno
 * ({@code "openat(/data/x.db) failed: ENOENT (No such file or directory)"}), as the JDK's
 * {@link java.nio.file.NoSuchFileException}, {@link java.nio.file.FileAlreadyExistsException},
 * {@link java.nio.file.AccessDeniedException}, ... where one fits; use after close is a
 * {@link java.nio.channels.ClosedChannelException}.
 */
package io.github.jglommio.io;
