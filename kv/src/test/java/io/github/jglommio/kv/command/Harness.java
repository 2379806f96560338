package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Key;
import io.github.jglommio.kv.store.Keyspace;
import io.github.jglommio.kv.store.ListValue;
import io.github.jglommio.kv.store.ZSet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A keyspace with a controllable clock, an executor, and the log of every call. */
final class Harness {
    final AtomicLong clock;
    final Keyspace ks;
    final KeyspaceCommands commands;
    final List<Command> log = new ArrayList<>();
    Command lastLogged;

    Harness() {
        this(new AtomicLong(1_700_000_000_000L));
    }

    Harness(AtomicLong clock) {
        this(clock, new EncodingLimits());
    }

    /** A harness whose executor reads these encoding limits. */
    Harness(AtomicLong clock, EncodingLimits limits) {
        this.clock = clock;
        this.ks = new Keyspace(clock::get);
        this.commands = new KeyspaceCommands(new SplittableRandom(1), limits);
    }

    /** Executes a command and returns its reply as text; asserts it is exactly one reply. */
    String call(String... args) {
        return call(Command.of(args));
    }

    String call(Command cmd) {
        RespWriter out = new RespWriter(16);
        ks.memory().tick(); // between commands, as a shard does: the access clock is read anew
        lastLogged = commands.execute(cmd, ks, out);
        if (lastLogged != null) {
            log.add(lastLogged);
        }
        String reply = out.toString();
        assertEquals(1, countReplies(reply), "exactly one reply to " + cmd + ": " + reply);
        return reply;
    }

    String logged() {
        return lastLogged == null ? null : lastLogged.toString();
    }

    /** Counts top-level RESP2 replies in well-formed reply text. */
    static int countReplies(String s) {
        int[] pos = {0};
        int n = 0;
        while (pos[0] < s.length()) {
            skipOne(s, pos);
            n++;
        }
        return n;
    }

    private static void skipOne(String s, int[] pos) {
        char type = s.charAt(pos[0]);
        int eol = s.indexOf("\r\n", pos[0]);
        String head = s.substring(pos[0] + 1, eol);
        pos[0] = eol + 2;
        switch (type) {
            case '+', '-', ':' -> { }
            case '$' -> {
                int len = Integer.parseInt(head);
                if (len >= 0) {
                    // Bulk lengths are in bytes; tests use ASCII/Latin-1 text of one byte per char.
                    pos[0] += len + 2;
                }
            }
            case '*' -> {
                int count = Integer.parseInt(head);
                for (int i = 0; i < count; i++) {
                    skipOne(s, pos);
                }
            }
            default -> throw new AssertionError("not RESP: " + s);
        }
    }

    static String bulk(String v) {
        return "$" + v.length() + "\r\n" + v + "\r\n";
    }

    static String array(String... bulks) {
        StringBuilder sb = new StringBuilder("*" + bulks.length + "\r\n");
        for (String b : bulks) {
            sb.append(b == null ? "$-1\r\n" : bulk(b));
        }
        return sb.toString();
    }

    static String integer(long v) {
        return ":" + v + "\r\n";
    }

    static final String OK = "+OK\r\n";
    static final String NIL = "$-1\r\n";
    static final String NIL_ARRAY = "*-1\r\n";
    static final String EMPTY = "*0\r\n";
    static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
    static final String NOT_INTEGER = "-ERR value is not an integer or out of range\r\n";
    static final String SYNTAX = "-ERR syntax error\r\n";

    /** A canonical, order-independent picture of a keyspace's live data. */
    @SuppressWarnings("unchecked")
    static Map<String, String> dump(Keyspace ks) {
        Map<String, String> out = new TreeMap<>();
        ks.forEachLive((key, value, expireAt) -> {
            String v = switch (value) {
                case byte[] s -> "string:" + text(s);
                case ListValue l -> {
                    List<String> items = new ArrayList<>();
                    for (byte[] e : l) {
                        items.add(text(e));
                    }
                    yield "list:" + items;
                }
                case HashSet<?> set -> {
                    TreeSet<String> items = new TreeSet<>();
                    for (Key k : (HashSet<Key>) set) {
                        items.add(text(k.bytes()));
                    }
                    yield "set:" + items;
                }
                case HashMap<?, ?> h -> {
                    TreeMap<String, String> items = new TreeMap<>();
                    for (Map.Entry<Key, byte[]> e : ((HashMap<Key, byte[]>) h).entrySet()) {
                        items.put(text(e.getKey().bytes()), text(e.getValue()));
                    }
                    yield "hash:" + items;
                }
                case ZSet z -> {
                    List<String> items = new ArrayList<>();
                    for (Iterator<ZSet.Item> it = z.ascending(); it.hasNext(); ) {
                        ZSet.Item item = it.next();
                        items.add(text(item.member().bytes()) + "=" + item.score());
                    }
                    yield "zset:" + items;
                }
                default -> throw new AssertionError(value);
            };
            out.put(text(key), v + (expireAt == Keyspace.NO_EXPIRY ? "" : " @" + expireAt));
        });
        return out;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
