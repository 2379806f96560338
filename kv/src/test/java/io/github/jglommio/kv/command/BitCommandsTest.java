package io.github.jglommio.kv.command;

import org.junit.jupiter.api.Test;

import static io.github.jglommio.kv.command.Harness.NIL;
import static io.github.jglommio.kv.command.Harness.WRONGTYPE;
import static io.github.jglommio.kv.command.Harness.integer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The bit commands on a bare keyspace: contents, replies, and what each logs. */
class BitCommandsTest {
    private final Harness h = new Harness();

    private byte[] value(String key) {
        return h.ks.getString(Args.ascii(key));
    }

    @Test
    void shouldSetBitsMostSignificantFirstAndLogOnlyChanges() {
        assertEquals(integer(0), h.call("SETBIT", "b", "1", "1"));
        assertEquals("SETBIT b 1 1", h.logged());
        assertEquals(integer(0), h.call("SETBIT", "b", "12", "1"));
        assertArrayEquals(new byte[] {0x40, 0x08}, value("b"));
        assertEquals(integer(1), h.call("SETBIT", "b", "1", "1"));
        assertNull(h.lastLogged, "setting a bit to what it is changes nothing");
        assertEquals(integer(0), h.call("SETBIT", "z", "3", "0"));
        assertEquals("SETBIT z 3 0", h.logged(), "a clear bit on a missing key still creates it");
        assertArrayEquals(new byte[] {0}, value("z"));
        assertEquals(integer(1), h.call("GETBIT", "b", "12"));
        assertEquals(integer(0), h.call("GETBIT", "b", "9999"));
        assertEquals("-ERR bit is not an integer or out of range\r\n", h.call("SETBIT", "b", "0", "2"));
        assertEquals("-ERR bit offset is not an integer or out of range\r\n", h.call("SETBIT", "b", "4294967296", "1"));
        h.call("RPUSH", "l", "x");
        assertEquals(WRONGTYPE, h.call("GETBIT", "l", "0"));
    }

    @Test
    void shouldCountAndFindBitsInRanges() {
        h.call("SET", "s", "foobar");
        assertEquals(integer(26), h.call("BITCOUNT", "s"));
        assertEquals(integer(6), h.call("BITCOUNT", "s", "1", "1"));
        assertEquals(integer(17), h.call("BITCOUNT", "s", "5", "30", "BIT"));
        assertEquals(integer(0), h.call("BITCOUNT", "s", "-1", "-2"), "negative start after negative end");
        byte[] ff = {(byte) 0xff, (byte) 0xff};
        h.ks.set(Args.ascii("f"), ff, -1);
        assertEquals(integer(16), h.call("BITPOS", "f", "0"), "all ones: the first bit past the end");
        assertEquals(integer(-1), h.call("BITPOS", "f", "0", "0", "-1"), "with an explicit end: none");
        assertEquals(integer(-1), h.call("BITPOS", "f", "1", "2", "1"));
        assertEquals(integer(3), h.call("BITPOS", "f", "1", "3", "9", "BIT"));
        assertEquals(integer(0), h.call("BITPOS", "nokey", "0", "junk"));
    }

    @Test
    void shouldCombineWithBitopAndDeleteOnAnEmptyResult() {
        h.ks.set(Args.ascii("a"), new byte[] {0x0f, 0x01}, -1);
        h.ks.set(Args.ascii("b"), new byte[] {(byte) 0xf0}, -1);
        assertEquals(integer(2), h.call("BITOP", "OR", "d", "a", "b"));
        assertEquals("BITOP OR d a b", h.logged());
        assertArrayEquals(new byte[] {(byte) 0xff, 0x01}, value("d"));
        assertEquals(integer(2), h.call("BITOP", "AND", "d", "a", "b"));
        assertArrayEquals(new byte[] {0, 0}, value("d"), "a shorter source is padded with zero bytes");
        assertEquals(integer(1), h.call("BITOP", "NOT", "d", "b"));
        assertArrayEquals(new byte[] {0x0f}, value("d"));
        assertEquals(integer(0), h.call("BITOP", "XOR", "d", "nokey"));
        assertEquals("BITOP XOR d nokey", h.logged());
        assertNull(value("d"), "an empty result deletes the destination");
        assertEquals(integer(0), h.call("BITOP", "XOR", "d", "nokey"));
        assertNull(h.lastLogged, "nothing to delete, nothing to log");
        assertEquals("-ERR BITOP NOT must be called with a single source key.\r\n", h.call("BITOP", "NOT", "d", "a", "b"));
    }

    @Test
    void shouldRunBitfieldOperationsInOrderAndLogOnlyWrites() {
        assertEquals("*3\r\n:0\r\n:100\r\n:-29\r\n",
            h.call("BITFIELD", "f", "SET", "i8", "0", "100", "GET", "i8", "0", "INCRBY", "i8", "0", "127"));
        assertEquals("BITFIELD f SET i8 0 100 GET i8 0 INCRBY i8 0 127", h.logged());
        assertEquals("*1\r\n:227\r\n", h.call("BITFIELD_RO", "f", "GET", "u8", "#0"));
        assertNull(h.lastLogged);
        assertEquals("*1\r\n" + NIL, h.call("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "29"));
        assertNull(h.lastLogged, "a failed INCRBY within the string changes nothing");
        assertEquals("*2\r\n:227\r\n:255\r\n",
            h.call("BITFIELD", "f", "OVERFLOW", "SAT", "INCRBY", "u8", "0", "0", "INCRBY", "u8", "0", "100"));
        assertEquals("*1\r\n" + NIL, h.call("BITFIELD", "g", "OVERFLOW", "FAIL", "INCRBY", "u2", "100", "10"));
        assertArrayEquals(new byte[13], value("g"), "as Redis, the string grows even when the write fails");
        assertEquals("-ERR BITFIELD_RO only supports the GET subcommand\r\n", h.call("BITFIELD_RO", "f", "SET", "u8", "0", "1"));
        assertEquals("*0\r\n", h.call("BITFIELD", "nokey"));
        assertNull(value("nokey"));
    }
}
