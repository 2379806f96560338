package io.github.jglommio.sys;

/**
 * File flags and constants from include/uapi/asm-generic/fcntl.h, fcntl.h, linux/falloc.h and
 * linux/stat.h (x86_64 values; aarch64 differs only in O_DIRECT/O_DIRECTORY/O_NOFOLLOW, handled here).
 */
public final class Fcntl {

    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_DSYNC = 010000;
    public static final int O_DIRECT = AARCH64 ? 0200000 : 040000;
    public static final int O_DIRECTORY = AARCH64 ? 040000 : 0200000;
    public static final int O_NOATIME = 01000000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_TMPFILE = 020000000 | O_DIRECTORY;

    /** {@code AT_FDCWD}: paths relative to the working directory. */
    public static final int AT_FDCWD = -100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EMPTY_PATH = 0x1000;

    // linux/falloc.h
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;

    /** {@code IORING_FSYNC_DATASYNC} (fsync_flags). */
    public static final int FSYNC_DATASYNC = 1;

    // mode bits (linux/stat.h)
    public static final int S_IFMT = 0170000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;

    private Fcntl() {
    }
}
