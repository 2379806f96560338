package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * COMMAND against redis-server 7.0: COMMAND INFO byte for byte for every command this server has,
 * the keys of full commands, LIST filters, DOCS fields, and the errors.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommandDifferentialTest {
    @TempDir
    static Path dir;
    private static Oracle oracle;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Oracle.available(), Oracle.MISSING);
        oracle = Oracle.start(dir, 1);
    }

    @AfterAll
    static void stop() throws IOException {
        if (oracle != null) {
            oracle.close();
        }
    }

    @Test
    void shouldDescribeEveryCommandAsRedis() throws IOException {
        List<String> differ = new ArrayList<>();
        for (CommandSpec s : CommandTable.all()) {
            String[] both = oracle.both("COMMAND", "INFO", s.name());
            List<String> subs = subcommands(both[0]);
            if (subs.isEmpty()) {
                if (!both[0].equals(both[1])) {
                    differ.add(s.name() + ": " + firstDifference(both[0], both[1]));
                }
                continue;
            }
            // Redis lists subcommands in its hash table's order, which changes from one process to the
            // next: compare each one, and the rest of the entry, which must then have the same length.
            for (String sub : subs) {
                String[] one = oracle.both("COMMAND", "INFO", sub);
                if (!one[0].equals(one[1])) {
                    differ.add(sub + ": " + firstDifference(one[0], one[1]));
                }
            }
            int head = both[0].indexOf("*10\r\n$", 10);
            if (!both[1].startsWith(both[0].substring(0, head)) || both[0].length() != both[1].length()) {
                differ.add(s.name() + ": " + firstDifference(both[0], both[1]));
            }
        }
        assertEquals(List.of(), differ);
        oracle.same("COMMAND", "INFO", "get", "nosuch", "SET", "config|get", "ping");
        oracle.same("COMMAND", "DOCS", "nosuch|x", "get|x");
        oracle.same("COMMAND", "INFO", "nosuch");
    }

    /** The names of the subcommands in a COMMAND INFO reply of one command. */
    private static List<String> subcommands(String reply) {
        List<String> names = new ArrayList<>();
        String[] lines = reply.split("\r\n");
        for (String l : lines) {
            if (l.contains("|") && !l.startsWith("$") && !l.startsWith("+") && !l.startsWith(":") && !l.startsWith("*")) {
                names.add(l);
            }
        }
        return names;
    }

    /** Where two replies part, with some context, for a readable failure. */
    static String firstDifference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        int from = Math.max(0, i - 60);
        return "redis [" + a.substring(from, Math.min(a.length(), i + 60)).replace("\r\n", " ") + "] ours ["
                + b.substring(from, Math.min(b.length(), i + 60)).replace("\r\n", " ") + "]";
    }

    @Test
    void shouldCountAndListTheCommandsItHas() throws IOException {
        String[] count = oracle.both("COMMAND", "COUNT");
        assertEquals(":" + CommandTable.size() + "\r\n", count[1]);
        String all = oracle.both("COMMAND")[1];
        assertTrue(all.startsWith("*" + CommandTable.size() + "\r\n"), all.substring(0, 20));
        String info = oracle.both("COMMAND", "INFO")[1];
        assertEquals(all, info);
        oracle.same("COMMAND", "COUNT", "x");
    }

    @Test
    void shouldListWithFiltersAsRedis() throws IOException {
        oracle.sameUnordered(false, "COMMAND", "LIST", "FILTERBY", "PATTERN", "config*");
        oracle.sameUnordered(false, "COMMAND", "LIST", "filterby", "pattern", "CONF*");
        oracle.sameUnordered(false, "COMMAND", "LIST", "FILTERBY", "PATTERN", "client|*");
        oracle.sameUnordered(false, "COMMAND", "LIST", "FILTERBY", "PATTERN", "slowlog*");
        oracle.sameUnordered(false, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "transaction");
        oracle.same("COMMAND", "LIST", "FILTERBY", "MODULE", "x");
        oracle.same("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch");
        oracle.same("COMMAND", "LIST", "FILTERBY", "foo", "x");
        oracle.same("COMMAND", "LIST", "FILTERBY", "PATTERN");
        oracle.same("COMMAND", "LIST", "x");
        oracle.same("COMMAND", "LIST", "FILTERBY", "PATTERN", "conf*", "extra");
        String ours = oracle.both("COMMAND", "LIST")[1];
        for (CommandSpec s : CommandTable.all()) {
            assertTrue(ours.contains("\r\n" + s.name() + "\r\n"), s.name());
        }
        assertTrue(ours.contains("\r\nconfig|get\r\n"), "subcommands are listed too");
    }

    @Test
    void shouldFindKeysAsRedis() throws IOException {
        String[][] cases = {
            {"get", "a"}, {"GET", "a"}, {"set", "a", "b"}, {"mset", "a", "1", "b", "2"}, {"mset", "a", "1", "b"},
            {"del", "a", "b", "c"}, {"rename", "a", "b"}, {"lmove", "a", "b", "left", "right"},
            {"lmpop", "2", "a", "b", "left"}, {"lmpop", "0", "a", "left"}, {"lmpop", "x", "a", "left"},
            {"lmpop", "5", "a", "left"}, {"lmpop", "2", "a"}, {"get", "a", "b"}, {"get"}, {"nosuch", "a"},
            {"ping"}, {"config", "get", "x"}, {"client", "list"}, {"watch", "a", "b"}, {"mget", "a", "b"},
            {"zadd", "k", "1", "m"}, {"hset", "h", "f", "v"}, {"sadd", "s", "m"}, {"rpoplpush", "a", "b"},
        };
        for (String[] c : cases) {
            if (c.length > 0 && CommandTable.lookup(c[0]) == null && !c[0].equals("nosuch")) {
                continue; // a command this server does not have yet
            }
            String[] keys = new String[c.length + 2];
            keys[0] = "COMMAND";
            keys[1] = "GETKEYS";
            System.arraycopy(c, 0, keys, 2, c.length);
            oracle.same(keys);
            keys[1] = "GETKEYSANDFLAGS";
            oracle.same(keys);
        }
        oracle.same("COMMAND", "GETKEYS");
    }

    @Test
    void shouldDocumentWithRedisSinceAndGroup() throws IOException {
        oracle.same("COMMAND", "DOCS", "nosuch");
        for (String name : List.of("get", "config", "ping", "client")) {
            String[] both = oracle.both("COMMAND", "DOCS", name);
            for (String field : List.of("summary", "since", "group")) {
                assertTrue(both[1].contains("$" + field.length() + "\r\n" + field + "\r\n"), field + " in " + both[1]);
            }
            assertEquals(value(both[0], "since"), value(both[1], "since"), name);
            assertEquals(value(both[0], "group"), value(both[1], "group"), name);
        }
        String config = oracle.both("COMMAND", "DOCS", "config")[1];
        assertTrue(config.contains("config|get"), config);
        String all = oracle.both("COMMAND", "DOCS")[1];
        assertTrue(all.startsWith("*" + 2 * CommandTable.size() + "\r\n"), all.substring(0, 20));
    }

    /** The first value after {@code field} in a docs reply. */
    private static String value(String reply, String field) {
        String[] lines = reply.split("\r\n");
        for (int i = 0; i + 2 < lines.length; i++) {
            if (lines[i].equals(field)) {
                return lines[i + 2];
            }
        }
        return null;
    }

    @Test
    void shouldAnswerHelpAndErrorsAsRedis() throws IOException {
        oracle.same("COMMAND", "HELP");
        oracle.same("COMMAND", "HELP", "x");
        oracle.same("COMMAND", "foo");
        oracle.same("command", "Foo");
    }
}
