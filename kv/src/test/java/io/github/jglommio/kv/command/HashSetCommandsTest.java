package io.github.jglommio.kv.command;

import org.junit.jupiter.api.Test;

import static io.github.jglommio.kv.command.Harness.EMPTY;
import static io.github.jglommio.kv.command.Harness.array;
import static io.github.jglommio.kv.command.Harness.bulk;
import static io.github.jglommio.kv.command.Harness.integer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the hash and set writes log, and the replies whose order is fixed. */
class HashSetCommandsTest {
    private final Harness h = new Harness();

    @Test
    void shouldLogHincrbyfloatAsTheResultingHset() {
        assertEquals(bulk("0.1"), h.call("HINCRBYFLOAT", "h", "f", "0.1"));
        assertEquals("HSET h f 0.1", h.logged());
        assertEquals(bulk("0.3"), h.call("HINCRBYFLOAT", "h", "f", "0.2"));
        assertEquals("HSET h f 0.3", h.logged(), "the sum in long double, not 0.30000000000000004");
        assertEquals("-ERR value is NaN or Infinity\r\n", h.call("HINCRBYFLOAT", "h", "f", "inf"));
        assertNull(h.lastLogged);
    }

    @Test
    void shouldLogHsetnxOnlyWhenItSets() {
        assertEquals(integer(1), h.call("HSETNX", "h", "f", "v"));
        assertEquals("HSETNX h f v", h.logged());
        assertEquals(integer(0), h.call("HSETNX", "h", "f", "w"));
        assertNull(h.lastLogged);
    }

    @Test
    void shouldKeepFieldsInInsertionOrderAsAListpack() {
        h.call("HSET", "h", "b", "1", "a", "2", "c", "3");
        h.call("HSET", "h", "b", "9");
        h.call("HDEL", "h", "a");
        h.call("HSET", "h", "a", "4");
        assertEquals(array("b", "9", "c", "3", "a", "4"), h.call("HGETALL", "h"));
        assertEquals(array("b", "c", "a"), h.call("HKEYS", "h"));
        assertEquals("*2\r\n$1\r\n0\r\n" + array("b", "9", "c", "3", "a", "4"), h.call("HSCAN", "h", "0"));
        assertEquals(array("b", "c", "a"), h.call("HRANDFIELD", "h", "3"), "the whole hash, in order");
    }

    @Test
    void shouldNotLogRandomReads() {
        h.call("HSET", "h", "a", "1", "b", "2");
        h.call("SADD", "s", "a", "b");
        for (String[] read : new String[][] {{"HRANDFIELD", "h"}, {"HRANDFIELD", "h", "-5", "WITHVALUES"},
                {"SRANDMEMBER", "s"}, {"SRANDMEMBER", "s", "-5"}, {"HSCAN", "h", "0"}, {"SSCAN", "s", "0"}}) {
            h.call(read);
            assertNull(h.lastLogged, read[0]);
        }
    }

    @Test
    void shouldLogSpopOfTheWholeSetAsDel() {
        h.call("SADD", "s", "3", "1", "2");
        assertEquals(array("1", "2", "3"), h.call("SPOP", "s", "3"), "an intset pops in order");
        assertEquals("DEL s", h.logged());
        assertEquals(integer(0), h.call("EXISTS", "s"));
    }

    @Test
    void shouldLogStoresAsThemselvesAndEmptyResultsAsDel() {
        h.call("SADD", "a", "1", "2", "3");
        h.call("SADD", "b", "2", "3", "4");
        assertEquals(integer(2), h.call("SINTERSTORE", "d", "a", "b"));
        assertEquals("SINTERSTORE d a b", h.logged());
        assertEquals(array("2", "3"), h.call("SMEMBERS", "d"));
        assertEquals(integer(0), h.call("SDIFFSTORE", "d", "a", "a"));
        assertEquals("DEL d", h.logged());
        assertEquals(integer(0), h.call("SUNIONSTORE", "d", "missing"));
        assertNull(h.lastLogged, "nothing to delete");
    }

    @Test
    void shouldLogSmoveOnlyWhenItMoves() {
        h.call("SADD", "a", "m");
        assertEquals(integer(1), h.call("SMOVE", "a", "a", "m"));
        assertNull(h.lastLogged, "within one set nothing changes");
        assertEquals(integer(1), h.call("SMOVE", "a", "b", "m"));
        assertEquals("SMOVE a b m", h.logged());
        assertEquals(integer(0), h.call("EXISTS", "a"));
        assertEquals(integer(0), h.call("SMOVE", "a", "b", "m"));
        assertNull(h.lastLogged);
    }

    @Test
    void shouldIntersectInTheOrderOfTheSmallestSet() {
        h.call("SADD", "big", "x", "y", "5", "1", "3", "9");
        h.call("SADD", "ints", "9", "5", "1", "7");
        assertEquals(array("1", "5", "9"), h.call("SINTER", "big", "ints"));
        assertEquals(integer(2), h.call("SINTERCARD", "2", "big", "ints", "LIMIT", "2"));
        assertEquals(EMPTY, h.call("SINTER", "big", "missing"));
    }

    @Test
    void shouldFindSintercardKeysFromNumkeys() {
        CommandSpec spec = CommandTable.lookup("sintercard");
        assertArrayEquals(new int[] {2, 3}, spec.keyIndexes(io.github.jglommio.kv.resp.Command.of(
            "SINTERCARD", "2", "a", "b", "LIMIT", "1")));
        assertNull(spec.keyIndexes(io.github.jglommio.kv.resp.Command.of("SINTERCARD", "3", "a", "b")),
            "malformed: the handler answers the error");
        assertTrue(spec.flags().contains("movablekeys"));
        assertEquals(0, spec.firstKey());
    }
}
