package io.github.jglommio.kv.command;

import java.util.ArrayList;
import java.util.List;

/** Reads a SCAN-shaped reply (cursor, [keys]) of ASCII text, for tests. */
record RespView(List<String> items, List<String> nested) {
    static RespView of(String reply) {
        String[] lines = reply.split("\r\n");
        List<String> items = new ArrayList<>();
        List<String> nested = new ArrayList<>();
        // *2, $n, cursor, *m, then $n/value pairs
        items.add(lines[2]);
        int m = Integer.parseInt(lines[3].substring(1));
        for (int i = 0; i < m; i++) {
            nested.add(lines[5 + 2 * i]);
        }
        return new RespView(items, nested);
    }
}
