package io.github.jglommio.io;

import java.time.Instant;

/**
 * A file's metadata from {@code statx(2)}.
 *
 * @param size             size in bytes
 * @param allocatedBytes   bytes allocated on disk (512 × {@code stx_blocks})
 * @param mode             type and permission bits ({@code st_mode})
 * @param links            hard links
 * @param inode            inode number
 * @param modified         last modification time
 * @param blockSize        preferred I/O size
 * @param directIoMemAlign required alignment of O_DIRECT buffers, or 0 when the kernel did not say
 * @param directIoOffsetAlign required alignment of O_DIRECT offsets and lengths, or 0 when unknown
 * @param deviceMajor      major number of the device holding the file
 * @param deviceMinor      minor number of that device
 */
public record FileStat(long size, long allocatedBytes, int mode, int links, long inode, Instant modified,
                       int blockSize, int directIoMemAlign, int directIoOffsetAlign, int deviceMajor, int deviceMinor) {

    /** True for a directory. */
    public boolean isDirectory() {
        return (mode & 0170000) == 0040000;
    }

    /** True for a regular file. */
    public boolean isRegularFile() {
        return (mode & 0170000) == 0100000;
    }
}
