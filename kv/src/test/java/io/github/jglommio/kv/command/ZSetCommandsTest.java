package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.store.Keyspace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.github.jglommio.kv.command.Harness.EMPTY;
import static io.github.jglommio.kv.command.Harness.NIL_ARRAY;
import static io.github.jglommio.kv.command.Harness.integer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** What the sorted-set commands log, how their keys are found, and the reusable pop. */
class ZSetCommandsTest {
    private final Harness h = new Harness();

    @Test
    void shouldLogPopsAsExplicitCounts() {
        h.call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        h.call("ZPOPMIN", "z");
        assertEquals("ZPOPMIN z 1", h.logged());
        h.call("ZPOPMAX", "z", "5");
        assertEquals("ZPOPMAX z 2", h.logged());
        assertEquals(integer(0), h.call("EXISTS", "z"));
        h.call("ZADD", "y", "1", "a", "2", "b");
        assertEquals("*2\r\n$1\r\ny\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n",
            h.call("ZMPOP", "2", "none", "y", "MAX", "COUNT", "1"));
        assertEquals("ZPOPMAX y 1", h.logged());
        assertEquals(NIL_ARRAY, h.call("ZMPOP", "1", "none", "MIN"));
        assertNull(h.lastLogged);
        assertEquals(EMPTY, h.call("ZPOPMIN", "y", "0"));
        assertNull(h.lastLogged);
    }

    @Test
    void shouldLogOnlyWhatChanged() {
        h.call("ZADD", "z", "1", "a");
        assertEquals("ZADD z 1 a", h.logged());
        h.call("ZADD", "z", "1", "a");
        assertNull(h.lastLogged, "same score");
        h.call("ZINCRBY", "z", "0", "a");
        assertNull(h.lastLogged, "an increment of 0");
        h.call("ZADD", "z", "INCR", "+inf", "a");
        h.call("ZADD", "z", "INCR", "-inf", "a");
        assertNull(h.lastLogged, "NaN is refused");
        h.call("ZREMRANGEBYSCORE", "z", "5", "6");
        assertNull(h.lastLogged);
        h.call("ZRANGESTORE", "dst", "none", "0", "-1");
        assertNull(h.lastLogged, "nothing to delete");
        h.call("ZRANGESTORE", "dst", "z", "0", "-1");
        assertEquals("ZRANGESTORE dst z 0 -1", h.logged());
        h.call("ZUNIONSTORE", "dst", "1", "none");
        assertEquals("ZUNIONSTORE dst 1 none", h.logged(), "it deleted dst");
        h.call("ZRANDMEMBER", "z", "-5");
        assertNull(h.lastLogged);
    }

    @Test
    void shouldFindTheKeysOfNumkeysCommands() {
        assertArrayEquals(new int[] {1, 3, 4}, keys("ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"));
        assertArrayEquals(new int[] {2, 3}, keys("ZINTER", "2", "a", "b", "WITHSCORES"));
        assertArrayEquals(new int[] {2}, keys("ZINTERCARD", "1", "a", "LIMIT", "1"));
        assertArrayEquals(new int[] {2, 3}, keys("ZMPOP", "2", "a", "b", "MIN"));
        assertArrayEquals(new int[] {1, 2}, keys("ZRANGESTORE", "d", "s", "0", "1"));
        assertNull(keys("ZMPOP", "2", "a", "MIN"), "no room for MIN");
        assertNull(keys("ZUNION", "0", "a"));
        assertNull(keys("ZDIFF", "x", "a"));
        assertNull(keys("ZDIFFSTORE", "d", "3", "a", "b"));
    }

    private static int[] keys(String... args) {
        Command c = Command.of(args);
        return CommandTable.lookup(c).keyIndexes(c);
    }

    @Test
    void shouldPopForABlockingVariantInItsShape() {
        h.call("ZADD", "z", "1", "a", "2", "b");
        Keyspace ks = h.ks;
        io.github.jglommio.kv.resp.RespWriter out = new io.github.jglommio.kv.resp.RespWriter();
        Command log = ZSetPops.pop(ks, "z".getBytes(), ks.getZSet("z".getBytes()), false, 1,
            ZSetPops.PopReply.KEYED, out);
        assertEquals("*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n", out.toString());
        assertEquals("ZPOPMIN z 1", log.toString());
        List<String> remaining = new ArrayList<>();
        ks.getZSet("z".getBytes()).ascending().forEachRemaining(i -> remaining.add(i.member().toString()));
        assertEquals(List.of("b"), remaining);
    }
}
