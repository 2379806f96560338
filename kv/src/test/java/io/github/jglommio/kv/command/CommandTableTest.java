package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandTableTest {
    @Test
    void shouldFindEveryCommandInAnyCase() {
        Set<String> names = new HashSet<>();
        for (CommandSpec spec : CommandTable.all()) {
            assertTrue(names.add(spec.name()), "duplicate " + spec.name());
            assertSame(spec, CommandTable.lookup(spec.name().toUpperCase()));
            assertSame(spec, CommandTable.lookup(Command.of(spec.name())));
        }
        assertEquals(CommandTable.all().size(), CommandTable.size());
        assertNull(CommandTable.lookup("nosuchcommand"));
        assertNull(CommandTable.lookup("gett"));
        assertNull(CommandTable.lookup(new byte[0]));
    }

    @Test
    void shouldDescribeKeysAndRoutingLikeRedis() {
        CommandSpec mset = CommandTable.lookup("MSET");
        assertEquals(-3, mset.arity());
        assertEquals(1, mset.firstKey());
        assertEquals(-1, mset.lastKey());
        assertEquals(2, mset.keyStep());
        assertEquals(Routing.KEYS_OK, mset.routing());
        assertTrue(mset.isWrite());
        CommandSpec get = CommandTable.lookup("get");
        assertEquals(Routing.KEY, get.routing());
        assertTrue(get.flags().contains("readonly"));
        assertEquals(Routing.SERVER, CommandTable.lookup("hello").routing());
        assertEquals(Routing.ALL_SCAN, CommandTable.lookup("scan").routing());
    }

    @Test
    void shouldCheckArity() {
        CommandSpec get = CommandTable.lookup("get");
        assertNull(CommandTable.checkArity(get, Command.of("GET", "k")));
        assertEquals("ERR wrong number of arguments for 'get' command", CommandTable.checkArity(get, Command.of("GET")));
        CommandSpec del = CommandTable.lookup("del");
        assertNull(CommandTable.checkArity(del, Command.of("DEL", "a", "b", "c")));
        assertEquals(del.arityError(), CommandTable.checkArity(del, Command.of("DEL")));
    }

    @Test
    void shouldWriteCommandInfoEntries() {
        RespWriter out = new RespWriter();
        CommandTable.writeInfo(CommandTable.lookup("get"), out);
        assertEquals("*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*0\r\n*0\r\n*0\r\n*0\r\n",
            out.toString());
    }

    @Test
    void shouldQuoteArgumentsInTheUnknownCommandError() {
        assertEquals("ERR unknown command 'FOO', with args beginning with: 'x' ",
            CommandTable.unknownCommandError(Command.of("FOO", "x")));
    }
}
