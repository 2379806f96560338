package io.github.jglommio.sys;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** {@code struct io_uring_cqe} (16 bytes without CQE32; include/uapi/linux/io_uring.h) and its flags. */
public final class Cqe {

    // IORING_CQE_F_*
    public static final int F_BUFFER = 1;
    public static final int F_MORE = 1 << 1;
    public static final int F_SOCK_NONEMPTY = 1 << 2;
    public static final int F_NOTIF = 1 << 3;

    /** {@code struct io_uring_cqe}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("user_data"), JAVA_INT.withName("res"), JAVA_INT.withName("flags"));

    public static final long SIZE = LAYOUT.byteSize();
    public static final long USER_DATA = LAYOUT.byteOffset(groupElement("user_data"));
    public static final long RES = LAYOUT.byteOffset(groupElement("res"));
    public static final long FLAGS = LAYOUT.byteOffset(groupElement("flags"));

    private Cqe() {
    }
}
