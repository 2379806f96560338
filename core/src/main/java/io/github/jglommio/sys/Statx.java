package io.github.jglommio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** {@code struct statx} (256 bytes, include/uapi/linux/stat.h) and its request mask bits. */
public final class Statx {

    public static final int STATX_TYPE = 0x1;
    public static final int STATX_MODE = 0x2;
    public static final int STATX_SIZE = 0x200;
    public static final int STATX_BLOCKS = 0x400;
    public static final int STATX_BASIC_STATS = 0x7ff;
    public static final int STATX_DIOALIGN = 0x2000;

    private static final StructLayout TIMESTAMP = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_INT.withName("tv_nsec"), JAVA_INT.withName("reserved"));

    /** {@code struct statx}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("stx_mask"), JAVA_INT.withName("stx_blksize"), JAVA_LONG.withName("stx_attributes"),
            JAVA_INT.withName("stx_nlink"), JAVA_INT.withName("stx_uid"), JAVA_INT.withName("stx_gid"),
            JAVA_SHORT.withName("stx_mode"), JAVA_SHORT.withName("spare0"),
            JAVA_LONG.withName("stx_ino"), JAVA_LONG.withName("stx_size"), JAVA_LONG.withName("stx_blocks"),
            JAVA_LONG.withName("stx_attributes_mask"),
            TIMESTAMP.withName("stx_atime"), TIMESTAMP.withName("stx_btime"), TIMESTAMP.withName("stx_ctime"),
            TIMESTAMP.withName("stx_mtime"),
            JAVA_INT.withName("stx_rdev_major"), JAVA_INT.withName("stx_rdev_minor"),
            JAVA_INT.withName("stx_dev_major"), JAVA_INT.withName("stx_dev_minor"),
            JAVA_LONG.withName("stx_mnt_id"), JAVA_INT.withName("stx_dio_mem_align"),
            JAVA_INT.withName("stx_dio_offset_align"), MemoryLayout.sequenceLayout(12, JAVA_LONG).withName("spare3"));

    public static final long MASK = offset("stx_mask");
    public static final long BLKSIZE = offset("stx_blksize");
    public static final long NLINK = offset("stx_nlink");
    public static final long MODE = offset("stx_mode");
    public static final long INO = offset("stx_ino");
    public static final long SIZE = offset("stx_size");
    public static final long BLOCKS = offset("stx_blocks");
    public static final long MTIME_SEC = offset("stx_mtime");
    public static final long MTIME_NSEC = MTIME_SEC + 8;
    public static final long DEV_MAJOR = offset("stx_dev_major");
    public static final long DEV_MINOR = offset("stx_dev_minor");
    public static final long DIO_MEM_ALIGN = offset("stx_dio_mem_align");
    public static final long DIO_OFFSET_ALIGN = offset("stx_dio_offset_align");

    private Statx() {
    }

    private static long offset(String name) {
        return LAYOUT.byteOffset(groupElement(name));
    }
}
