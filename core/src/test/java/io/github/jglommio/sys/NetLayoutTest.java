package io.github.jglommio.sys;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins {@code struct msghdr} and {@code struct iovec} to the x86_64/aarch64 LP64 ABI
 * (include/linux/socket.h {@code user_msghdr}, include/uapi/linux/uio.h), and the opcodes of
 * include/uapi/linux/io_uring.h used for datagrams.
 */
class NetLayoutTest {

    @Test
    void shouldMatchKernelMsghdrLayout() {
        assertEquals(56, Net.MSGHDR.byteSize());
        assertEquals(0, Net.MSG_NAME);
        assertEquals(8, Net.MSG_NAMELEN);
        assertEquals(16, Net.MSG_IOV);
        assertEquals(24, Net.MSG_IOVLEN);
        assertEquals(32, Net.MSG_CONTROL);
        assertEquals(40, Net.MSG_CONTROLLEN);
        assertEquals(48, Net.MSG_FLAGS);
    }

    @Test
    void shouldMatchKernelIovecLayout() {
        assertEquals(16, Net.IOVEC.byteSize());
        assertEquals(0, Net.IOV_BASE);
        assertEquals(8, Net.IOV_LEN);
    }

    @Test
    void shouldMatchKernelOpcodesAndFlags() {
        assertEquals(9, Sqe.OP_SENDMSG);
        assertEquals(10, Sqe.OP_RECVMSG);
        assertEquals(0x20, Net.MSG_TRUNC);
        assertEquals(32, Net.IP_MULTICAST_IF);
    }

    @Test
    void shouldLayOutAMessageBlockWithoutOverlaps() {
        assertTrue(Net.MSGHDR.byteSize() <= Net.MSG_BLOCK_IOV);
        assertTrue(Net.MSG_BLOCK_IOV + Net.IOVEC.byteSize() <= Net.MSG_BLOCK_NAME);
        assertEquals(Net.MSG_BLOCK_SIZE, Net.MSG_BLOCK_NAME + Net.SOCKADDR_STORAGE);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment block = a.allocate(Net.MSG_BLOCK_SIZE, 64);
            Net.prepareMsg(block, 0x1234_5678L, 99, 16);
            long base = block.address();
            assertEquals(base + Net.MSG_BLOCK_NAME, block.get(JAVA_LONG, 0), "msg_name");
            assertEquals(16, block.get(JAVA_INT, 8), "msg_namelen");
            assertEquals(base + Net.MSG_BLOCK_IOV, block.get(JAVA_LONG, 16), "msg_iov");
            assertEquals(1, block.get(JAVA_LONG, 24), "msg_iovlen");
            assertEquals(0x1234_5678L, block.get(JAVA_LONG, Net.MSG_BLOCK_IOV), "iov_base");
            assertEquals(99, block.get(JAVA_LONG, Net.MSG_BLOCK_IOV + 8), "iov_len");
            assertEquals(Net.msgName(block).address(), base + Net.MSG_BLOCK_NAME);
            Net.prepareMsg(block, 0, 0, 0);
            assertEquals(0, block.get(JAVA_LONG, 0), "no name: msg_name is NULL");
        }
    }
}
