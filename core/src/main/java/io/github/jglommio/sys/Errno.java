package io.github.jglommio.sys;

/**
 * Linux errno values (include/uapi/asm-generic/errno-base.h and errno.h; x86_64 and aarch64 agree)
 * and their symbolic names, for error messages such as
 * {@code "openat(/data/x.db) failed: ENOENT (No such file or directory)"}.
 */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int E2BIG = 7;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int EXDEV = 18;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int ENOTTY = 25;
    public static final int ETXTBSY = 26;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EROFS = 30;
    public static final int EMLINK = 31;
    public static final int EPIPE = 32;
    public static final int ERANGE = 34;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTEMPTY = 39;
    public static final int ELOOP = 40;
    public static final int ENODATA = 61;
    public static final int ETIME = 62;
    public static final int EOVERFLOW = 75;
    public static final int ENOTSOCK = 88;
    public static final int EDESTADDRREQ = 89;
    public static final int EMSGSIZE = 90;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRINUSE = 98;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ECONNABORTED = 103;
    public static final int ECONNRESET = 104;
    public static final int ENOBUFS = 105;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;
    public static final int EDQUOT = 122;
    public static final int ECANCELED = 125;

    private Errno() {
    }

    /** The symbolic name of {@code errno} ({@code "ENOENT"}), or {@code "errno N"} when unknown; the sign is ignored. */
    public static String name(int errno) {
        String[] e = lookup(Math.abs(errno));
        return e == null ? "errno " + Math.abs(errno) : e[0];
    }

    /** {@code "ENOENT (No such file or directory)"} for {@code errno}; the sign is ignored. */
    public static String describe(int errno) {
        String[] e = lookup(Math.abs(errno));
        return e == null ? "errno " + Math.abs(errno) : e[0] + " (" + e[1] + ")";
    }

    /**
     * The text {@code strerror(3)} gives for {@code errno} (sign ignored), e.g. {@code "No space left on
     * device"}; {@code "Unknown error N"} for a value not in the table, as glibc says.
     */
    public static String reason(int errno) {
        String[] e = lookup(Math.abs(errno));
        return e == null ? "Unknown error " + Math.abs(errno) : e[1];
    }

    private static String[] lookup(int errno) {
        return switch (errno) {
            case 1 -> new String[] {"EPERM", "Operation not permitted"};
            case 2 -> new String[] {"ENOENT", "No such file or directory"};
            case 3 -> new String[] {"ESRCH", "No such process"};
            case 4 -> new String[] {"EINTR", "Interrupted system call"};
            case 5 -> new String[] {"EIO", "Input/output error"};
            case 6 -> new String[] {"ENXIO", "No such device or address"};
            case 7 -> new String[] {"E2BIG", "Argument list too long"};
            case 9 -> new String[] {"EBADF", "Bad file descriptor"};
            case 11 -> new String[] {"EAGAIN", "Resource temporarily unavailable"};
            case 12 -> new String[] {"ENOMEM", "Cannot allocate memory"};
            case 13 -> new String[] {"EACCES", "Permission denied"};
            case 14 -> new String[] {"EFAULT", "Bad address"};
            case 16 -> new String[] {"EBUSY", "Device or resource busy"};
            case 17 -> new String[] {"EEXIST", "File exists"};
            case 18 -> new String[] {"EXDEV", "Invalid cross-device link"};
            case 19 -> new String[] {"ENODEV", "No such device"};
            case 20 -> new String[] {"ENOTDIR", "Not a directory"};
            case 21 -> new String[] {"EISDIR", "Is a directory"};
            case 22 -> new String[] {"EINVAL", "Invalid argument"};
            case 23 -> new String[] {"ENFILE", "Too many open files in system"};
            case 24 -> new String[] {"EMFILE", "Too many open files"};
            case 25 -> new String[] {"ENOTTY", "Inappropriate ioctl for device"};
            case 26 -> new String[] {"ETXTBSY", "Text file busy"};
            case 27 -> new String[] {"EFBIG", "File too large"};
            case 28 -> new String[] {"ENOSPC", "No space left on device"};
            case 29 -> new String[] {"ESPIPE", "Illegal seek"};
            case 30 -> new String[] {"EROFS", "Read-only file system"};
            case 31 -> new String[] {"EMLINK", "Too many links"};
            case 32 -> new String[] {"EPIPE", "Broken pipe"};
            case 34 -> new String[] {"ERANGE", "Numerical result out of range"};
            case 36 -> new String[] {"ENAMETOOLONG", "File name too long"};
            case 38 -> new String[] {"ENOSYS", "Function not implemented"};
            case 39 -> new String[] {"ENOTEMPTY", "Directory not empty"};
            case 40 -> new String[] {"ELOOP", "Too many levels of symbolic links"};
            case 61 -> new String[] {"ENODATA", "No data available"};
            case 62 -> new String[] {"ETIME", "Timer expired"};
            case 75 -> new String[] {"EOVERFLOW", "Value too large for defined data type"};
            case 88 -> new String[] {"ENOTSOCK", "Socket operation on non-socket"};
            case 89 -> new String[] {"EDESTADDRREQ", "Destination address required"};
            case 90 -> new String[] {"EMSGSIZE", "Message too long"};
            case 93 -> new String[] {"EPROTONOSUPPORT", "Protocol not supported"};
            case 95 -> new String[] {"EOPNOTSUPP", "Operation not supported"};
            case 97 -> new String[] {"EAFNOSUPPORT", "Address family not supported by protocol"};
            case 98 -> new String[] {"EADDRINUSE", "Address already in use"};
            case 99 -> new String[] {"EADDRNOTAVAIL", "Cannot assign requested address"};
            case 100 -> new String[] {"ENETDOWN", "Network is down"};
            case 101 -> new String[] {"ENETUNREACH", "Network is unreachable"};
            case 103 -> new String[] {"ECONNABORTED", "Software caused connection abort"};
            case 104 -> new String[] {"ECONNRESET", "Connection reset by peer"};
            case 105 -> new String[] {"ENOBUFS", "No buffer space available"};
            case 106 -> new String[] {"EISCONN", "Transport endpoint is already connected"};
            case 107 -> new String[] {"ENOTCONN", "Transport endpoint is not connected"};
            case 110 -> new String[] {"ETIMEDOUT", "Connection timed out"};
            case 111 -> new String[] {"ECONNREFUSED", "Connection refused"};
            case 113 -> new String[] {"EHOSTUNREACH", "No route to host"};
            case 114 -> new String[] {"EALREADY", "Operation already in progress"};
            case 115 -> new String[] {"EINPROGRESS", "Operation now in progress"};
            case 122 -> new String[] {"EDQUOT", "Disk quota exceeded"};
            case 125 -> new String[] {"ECANCELED", "Operation canceled"};
            default -> null;
        };
    }
}
