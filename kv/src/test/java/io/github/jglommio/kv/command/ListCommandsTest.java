package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.ProtocolException;
import io.github.jglommio.kv.resp.RespWriter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.github.jglommio.kv.command.Harness.NIL;
import static io.github.jglommio.kv.command.Harness.OK;
import static io.github.jglommio.kv.command.Harness.array;
import static io.github.jglommio.kv.command.Harness.bulk;
import static io.github.jglommio.kv.command.Harness.integer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What the list commands log, their key finders and the pop operations the blocking variants
 * share; the replies themselves are compared with Redis in the server's ListsDifferentialTest.
 */
class ListCommandsTest {
    private final Harness h = new Harness();

    @Test
    void shouldLogOnlyWritesThatChangedSomething() {
        assertEquals(integer(0), h.call("LPUSHX", "l", "a"));
        assertNull(h.logged());
        h.call("RPUSH", "l", "a", "b", "c");
        assertEquals(integer(4), h.call("RPUSHX", "l", "d"));
        assertEquals("RPUSHX l d", h.logged());
        assertEquals(integer(-1), h.call("LINSERT", "l", "BEFORE", "nope", "x"));
        assertNull(h.logged());
        assertEquals(integer(5), h.call("LINSERT", "l", "AFTER", "a", "x"));
        assertEquals("LINSERT l AFTER a x", h.logged());
        assertEquals(integer(0), h.call("LREM", "l", "0", "nope"));
        assertNull(h.logged());
        assertEquals(integer(1), h.call("LREM", "l", "-1", "x"));
        assertEquals("LREM l -1 x", h.logged());
        assertEquals(OK, h.call("LSET", "l", "-1", "D"));
        assertEquals("LSET l -1 D", h.logged());
        assertEquals("-ERR index out of range\r\n", h.call("LSET", "l", "9", "x"));
        assertNull(h.logged());
        assertEquals(OK, h.call("LTRIM", "l", "0", "100"));
        assertNull(h.logged(), "a trim that keeps everything changes nothing");
        assertEquals(OK, h.call("LTRIM", "l", "1", "-1"));
        assertEquals("LTRIM l 1 -1", h.logged());
        assertEquals(OK, h.call("LTRIM", "missing", "0", "1"));
        assertNull(h.logged());
        assertEquals(array("b", "c", "D"), h.call("LRANGE", "l", "0", "-1"));
        assertEquals(integer(1), h.call("LPOS", "l", "c"));
        assertNull(h.logged());
    }

    @Test
    void shouldLogMovesWithExplicitEnds() {
        h.call("RPUSH", "src", "a", "b", "c");
        assertEquals(bulk("c"), h.call("RPOPLPUSH", "src", "dst"));
        assertEquals("LMOVE src dst RIGHT LEFT", h.logged());
        assertEquals(bulk("a"), h.call("lmove", "src", "src", "left", "Right"));
        assertEquals("LMOVE src src LEFT RIGHT", h.logged());
        assertEquals(NIL, h.call("LMOVE", "missing", "dst", "LEFT", "LEFT"));
        assertNull(h.logged());
        assertEquals(Harness.WRONGTYPE, wrongTypeDestination());
    }

    private String wrongTypeDestination() {
        h.call("SET", "s", "v");
        String reply = h.call("LMOVE", "src", "s", "LEFT", "LEFT");
        assertNull(h.logged());
        assertEquals(array("b", "a"), h.call("LRANGE", "src", "0", "-1"), "nothing moved");
        return reply;
    }

    @Test
    void shouldLogMultiPopsAsPopsOfTheNumberTaken() {
        h.call("RPUSH", "b", "1", "2", "3");
        assertEquals("*2\r\n$1\r\nb\r\n" + array("3", "2", "1"), h.call("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "10"));
        assertEquals("RPOP b 3", h.logged());
        h.call("RPUSH", "a", "x");
        assertEquals("*2\r\n$1\r\na\r\n" + array("x"), h.call("LMPOP", "2", "a", "b", "LEFT"));
        assertEquals("LPOP a 1", h.logged());
        assertEquals(Harness.NIL_ARRAY, h.call("LMPOP", "2", "a", "b", "LEFT"));
        assertNull(h.logged());
    }

    @Test
    void shouldPopOneWithItsKeyForTheBlockingVariants() {
        h.call("RPUSH", "l", "a", "b");
        RespWriter out = new RespWriter();
        Command log = ListPops.popKeyAndElement(h.ks, "l".getBytes(), false, out);
        assertEquals("*2\r\n$1\r\nl\r\n$1\r\nb\r\n", out.toString());
        assertEquals("RPOP l", log.toString());
        out.clear();
        assertEquals("LPOP l", ListPops.popKeyAndElement(h.ks, "l".getBytes(), true, out).toString());
        assertEquals(integer(0), h.call("EXISTS", "l"), "the emptied list is gone");
    }

    @Test
    void shouldFindTheKeysOfMovesAndMultiPops() {
        CommandSpec lmpop = CommandTable.lookup("lmpop");
        assertArrayEquals(new int[] {2, 3, 4}, lmpop.keyIndexes(Command.of("LMPOP", "3", "a", "b", "c", "LEFT", "COUNT", "2")));
        assertArrayEquals(new int[] {2}, lmpop.keyIndexes(Command.of("LMPOP", "1", "a", "right")));
        // Malformed: the handler, run where the command arrived, reports the error.
        assertNull(lmpop.keyIndexes(Command.of("LMPOP", "0", "a", "LEFT")));
        assertNull(lmpop.keyIndexes(Command.of("LMPOP", "2", "a", "LEFT")));
        assertNull(lmpop.keyIndexes(Command.of("LMPOP", "2", "a", "b", "UP")));
        assertNull(lmpop.keyIndexes(Command.of("LMPOP", "1", "a", "LEFT", "COUNT", "0")));
        CommandSpec lmove = CommandTable.lookup("lmove");
        assertArrayEquals(new int[] {1, 2}, lmove.keyIndexes(Command.of("LMOVE", "a", "b", "LEFT", "RIGHT")));
        assertNull(lmove.keyIndexes(Command.of("LMOVE", "a", "b", "LEFT", "UP")));
        assertArrayEquals(new int[] {1, 2}, CommandTable.lookup("rpoplpush").keyIndexes(Command.of("RPOPLPUSH", "a", "b")));
        assertEquals(Routing.KEYS_ATOMIC, lmpop.routing());
        assertEquals(Routing.KEY, CommandTable.lookup("lpos").routing());
    }

    @Test
    void shouldRebuildTheSameListsFromTheLogAndTheRewrite() throws ProtocolException {
        for (long seed = 0; seed < 100; seed++) {
            Harness a = new Harness();
            Random r = new Random(seed);
            for (int i = 0; i < 300; i++) {
                String key = KEYS[r.nextInt(KEYS.length)];
                a.call(randomWrite(r, key, KEYS[r.nextInt(KEYS.length)], ELEMENTS[r.nextInt(ELEMENTS.length)]));
            }
            Map<String, String> expected = Harness.dump(a.ks);
            assertEquals(expected, Harness.dump(LogRoundTripTest.replay(a.log, a.clock, seed)), "seed " + seed);
            List<Command> rewrite = new ArrayList<>();
            LogRewriter.rewrite(a.ks, rewrite::add);
            assertEquals(expected, Harness.dump(LogRoundTripTest.replay(rewrite, a.clock, seed)), "rewrite, seed " + seed);
        }
    }

    private static final String[] KEYS = {"a", "b", "c"};
    private static final String[] ELEMENTS = {"x", "y", "z"};

    /**
     * A random list write on {@code key} (and {@code other} for moves), with small counts and
     * indexes so that they hit, miss and empty lists; also used by {@link LogRoundTripTest}.
     */
    static Command randomWrite(Random r, String key, String other, String element) {
        String i = Integer.toString(r.nextInt(9) - 4);
        String j = Integer.toString(r.nextInt(9) - 4);
        String end = r.nextBoolean() ? "LEFT" : "RIGHT";
        return switch (r.nextInt(12)) {
            case 0, 1 -> Command.of(r.nextBoolean() ? "LPUSH" : "RPUSH", key, element, i);
            case 2 -> Command.of(r.nextBoolean() ? "LPUSHX" : "RPUSHX", key, element);
            case 3 -> Command.of(r.nextBoolean() ? "LPOP" : "RPOP", key, Integer.toString(r.nextInt(3)));
            case 4 -> Command.of("LSET", key, i, element);
            case 5 -> Command.of("LINSERT", key, r.nextBoolean() ? "BEFORE" : "AFTER", element, j);
            case 6 -> Command.of("LREM", key, Integer.toString(r.nextInt(5) - 2), element);
            case 7 -> Command.of("LTRIM", key, i, j);
            case 8 -> Command.of("LMOVE", key, other, end, r.nextBoolean() ? "LEFT" : "RIGHT");
            case 9 -> Command.of("RPOPLPUSH", key, other);
            case 10 -> Command.of("LMPOP", "2", key, other, end, "COUNT", Integer.toString(1 + r.nextInt(3)));
            default -> Command.of("RPUSH", key, element, element);
        };
    }
}
