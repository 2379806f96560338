package io.github.jglommio.kv.resp;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RespWriterTest {
    private static String text(RespWriter w) {
        return new String(w.array(), 0, w.size(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldEncodeEveryReplyType() {
        RespWriter w = new RespWriter(16);
        w.simpleString("PONG").ok().error("ERR bad\r\nthing").integer(-42).integer(0)
            .bulk("hi".getBytes()).bulk("xhix".getBytes(), 1, 2).bulk(new byte[0])
            .nullBulk().arrayHeader(2).nullArray().raw(":1\r\n".getBytes());
        assertEquals("+PONG\r\n+OK\r\n-ERR bad  thing\r\n:-42\r\n:0\r\n$2\r\nhi\r\n$2\r\nhi\r\n$0\r\n\r\n"
            + "$-1\r\n*2\r\n*-1\r\n:1\r\n", text(w));
    }

    @Test
    void shouldEncodeExtremeIntegers() {
        RespWriter w = new RespWriter(16);
        w.integer(Long.MIN_VALUE).integer(Long.MAX_VALUE);
        assertEquals(":" + Long.MIN_VALUE + "\r\n:" + Long.MAX_VALUE + "\r\n", text(w));
    }

    @Test
    void shouldGrowAndClearForReuse() {
        RespWriter w = new RespWriter(16);
        byte[] big = new byte[10_000];
        w.bulk(big);
        assertEquals("$10000\r\n".length() + 10_000 + 2, w.size());
        w.clear();
        w.ok();
        assertEquals("+OK\r\n", text(w));
    }

    @Test
    void shouldFormatDoublesLikeRedis() {
        assertEquals("3", new String(RespWriter.formatDouble(3.0)));
        assertEquals("-2", new String(RespWriter.formatDouble(-2.0)));
        assertEquals("1.5", new String(RespWriter.formatDouble(1.5)));
        assertEquals("0.1", new String(RespWriter.formatDouble(0.1)));
        assertEquals("12345678.5", new String(RespWriter.formatDouble(12345678.5)));
        assertEquals("inf", new String(RespWriter.formatDouble(Double.POSITIVE_INFINITY)));
        assertEquals("-inf", new String(RespWriter.formatDouble(Double.NEGATIVE_INFINITY)));
        assertEquals("1.0e+300", new String(RespWriter.formatDouble(1e300)));
    }

    @Test
    void shouldEncodeCommandsAsMultibulk() {
        assertEquals("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
            new String(RespWriter.encodeCommand(Command.of("GET", "k")), StandardCharsets.US_ASCII));
    }

    @Test
    void shouldCopyIntoByteBuffersAndDropSentBytes() {
        RespWriter w = new RespWriter();
        w.simpleString("PONG").ok();
        ByteBuffer small = ByteBuffer.allocate(4);
        assertEquals(4, w.writeTo(0, small));
        w.discardFront(4);
        assertEquals("G\r\n+OK\r\n", text(w));
        ByteBuffer all = ByteBuffer.allocate(64);
        w.writeTo(all);
        assertEquals(w.size(), all.position());
        assertThrows(IndexOutOfBoundsException.class, () -> w.discardFront(w.size() + 1));
    }

    @Test
    void shouldParseOnlyCanonicalIntegers() {
        assertEquals(0, Ascii.parseLong("0".getBytes()));
        assertEquals(-12, Ascii.parseLong("-12".getBytes()));
        assertEquals(Long.MIN_VALUE, Ascii.parseLong(Long.toString(Long.MIN_VALUE).getBytes()));
        assertEquals(Long.MAX_VALUE, Ascii.parseLong(Long.toString(Long.MAX_VALUE).getBytes()));
        for (String bad : new String[] {"", "-", "+1", "01", "-0", " 1", "1 ", "1.0", "9223372036854775808",
            "-9223372036854775809", "abc", "123456789012345678901"}) {
            assertThrows(NumberFormatException.class, () -> Ascii.parseLong(bad.getBytes()), bad);
        }
    }
}
