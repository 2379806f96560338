package io.github.jglommio.kv.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads RESP2 (or RESP3) reply text into values, for the differential tests whose replies may differ in
 * content but not in shape (random choices, scan cursors): a bulk or simple string is a
 * {@code String}, an integer a {@code Long}, an array a {@code List}, a null {@code null}, an
 * error an {@link Error}. RESP3 types read as their RESP2 forms do: a set as a {@code List}, a map as
 * the flat {@code List} of its keys and values, a double as its text, a verbatim string as its
 * text without the {@code txt:} format, a boolean as a {@code Boolean}, {@code _} as null.
 */
final class Replies {
    private Replies() {
    }

    /** An error reply's text, without the '-'. */
    record Error(String text) {
    }

    static Object parse(String reply) {
        int[] pos = {0};
        Object v = next(reply, pos);
        assertEquals(reply.length(), pos[0], () -> "one reply: " + reply);
        return v;
    }

    private static Object next(String s, int[] pos) {
        int eol = s.indexOf("\r\n", pos[0]);
        char type = s.charAt(pos[0]);
        String head = s.substring(pos[0] + 1, eol);
        pos[0] = eol + 2;
        switch (type) {
            case '+':
                return head;
            case '-':
                return new Error(head);
            case ':':
                return Long.parseLong(head);
            case ',':
                return head;
            case '#':
                return head.equals("t");
            case '_':
                return null;
            case '$', '=': {
                int len = Integer.parseInt(head);
                if (len < 0) {
                    return null;
                }
                // Test data is ASCII: one char per byte.
                String v = s.substring(pos[0], pos[0] + len);
                pos[0] += len + 2;
                return type == '=' ? v.substring(4) : v;
            }
            case '*', '~', '>', '%': {
                int n = Integer.parseInt(head) * (type == '%' ? 2 : 1);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(next(s, pos));
                }
                return items;
            }
            default:
                throw new AssertionError("not RESP2: " + s);
        }
    }

    /** A reply that must be an array of strings. */
    @SuppressWarnings("unchecked")
    static List<String> strings(String reply) {
        Object v = parse(reply);
        assertTrue(v instanceof List, () -> "an array: " + reply);
        return (List<String>) v;
    }

    /** Connects to redis-server beside {@code oracle}'s server, found by its CONFIG GET port. */
    static RespClient redisClient(Oracle oracle) throws IOException {
        List<String> conf = strings(oracle.both("CONFIG", "GET", "port")[0]);
        return new RespClient(Integer.parseInt(conf.get(1)));
    }

    /**
     * Runs a full HSCAN/SSCAN iteration ({@code command key cursor options...}) and returns what
     * it found: element to value (the element itself for SSCAN). With {@code once}, asserts that
     * no element comes twice (Redis may repeat one while its table rehashes; ours never does).
     *
     * @param client the server to ask
     * @param once whether a repeated element fails the test
     * @param pairs whether the replies hold field, value pairs (HSCAN)
     * @param command the command name
     * @param key the key
     * @param options MATCH/COUNT options
     * @return the elements found, with their values
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> iterate(RespClient client, boolean once, boolean pairs, String command, String key,
                                       String... options) throws IOException {
        Map<String, String> found = new HashMap<>();
        String cursor = "0";
        int steps = 0;
        do {
            String[] args = new String[3 + options.length];
            args[0] = command;
            args[1] = key;
            args[2] = cursor;
            System.arraycopy(options, 0, args, 3, options.length);
            List<Object> reply = (List<Object>) parse(client.call(args));
            cursor = (String) reply.get(0);
            List<String> items = (List<String>) reply.get(1);
            for (int i = 0; i < items.size(); i += pairs ? 2 : 1) {
                String e = items.get(i);
                String old = found.put(e, pairs ? items.get(i + 1) : e);
                assertTrue(!once || old == null, () -> "returned twice: " + e);
            }
            assertNotEquals(100_000, ++steps, "the iteration ends");
        } while (!cursor.equals("0"));
        return found;
    }
}
