package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;

import java.util.ArrayDeque;
import java.util.Iterator;

/** List commands; each appends one reply and returns the command to log or null. */
final class ListCommands {
    private ListCommands() {
    }

    static void register(Registry r) {
        r.key("lpush", -3, "write denyoom fast", (c, ks, out, x) -> push(c, ks, out, true));
        r.key("rpush", -3, "write denyoom fast", (c, ks, out, x) -> push(c, ks, out, false));
        r.key("lpop", -2, "write fast", (c, ks, out, x) -> pop(c, ks, out, true));
        r.key("rpop", -2, "write fast", (c, ks, out, x) -> pop(c, ks, out, false));
        r.key("llen", 2, "readonly fast", (c, ks, out, x) -> llen(c, ks, out));
        r.key("lrange", 4, "readonly", (c, ks, out, x) -> lrange(c, ks, out));
        r.key("lindex", 3, "readonly", (c, ks, out, x) -> lindex(c, ks, out));
    }

    static Command push(Command c, Keyspace ks, RespWriter out, boolean head) {
        ArrayDeque<byte[]> list = ks.getOrCreateList(c.arg(1));
        for (int i = 2; i < c.argCount(); i++) {
            if (head) {
                list.addFirst(c.arg(i));
            } else {
                list.addLast(c.arg(i));
            }
        }
        out.integer(list.size());
        return c;
    }

    static Command pop(Command c, Keyspace ks, RespWriter out, boolean head) {
        if (c.argCount() > 3) {
            throw new CommandError(CommandTable.lookup(c).arityError());
        }
        long count = Args.optionalCount(c, 2);
        boolean hasCount = count >= 0;
        if (!hasCount) {
            count = 1;
        }
        byte[] key = c.arg(1);
        ArrayDeque<byte[]> list = ks.getList(key);
        if (list == null) {
            if (hasCount) {
                out.nullArray();
            } else {
                out.nullBulk();
            }
            return null;
        }
        if (!hasCount) {
            out.bulk(head ? list.pollFirst() : list.pollLast());
        } else {
            int n = (int) Math.min(count, list.size());
            out.arrayHeader(n);
            for (int i = 0; i < n; i++) {
                out.bulk(head ? list.pollFirst() : list.pollLast());
            }
            if (n == 0) {
                return null;
            }
        }
        ks.removeIfEmpty(key);
        return c;
    }

    static Command llen(Command c, Keyspace ks, RespWriter out) {
        ArrayDeque<byte[]> list = ks.getList(c.arg(1));
        out.integer(list == null ? 0 : list.size());
        return null;
    }

    static Command lrange(Command c, Keyspace ks, RespWriter out) {
        long start = Args.longArg(c, 2);
        long stop = Args.longArg(c, 3);
        ArrayDeque<byte[]> list = ks.getList(c.arg(1));
        if (list == null) {
            out.arrayHeader(0);
            return null;
        }
        long size = list.size();
        long[] range = Args.indexRange(start, stop, size);
        if (range == null) {
            out.arrayHeader(0);
            return null;
        }
        start = range[0];
        stop = range[1];
        int n = (int) (stop - start + 1);
        out.arrayHeader(n);
        // Walk from the nearer end: ArrayDeque has no random access.
        if (start <= size - 1 - stop) {
            Iterator<byte[]> it = list.iterator();
            for (long i = 0; i < start; i++) {
                it.next();
            }
            for (int i = 0; i < n; i++) {
                out.bulk(it.next());
            }
        } else {
            byte[][] tail = new byte[n][];
            Iterator<byte[]> it = list.descendingIterator();
            for (long i = size - 1; i > stop; i--) {
                it.next();
            }
            for (int i = n - 1; i >= 0; i--) {
                tail[i] = it.next();
            }
            for (byte[] v : tail) {
                out.bulk(v);
            }
        }
        return null;
    }

    static Command lindex(Command c, Keyspace ks, RespWriter out) {
        long index = Args.longArg(c, 2);
        ArrayDeque<byte[]> list = ks.getList(c.arg(1));
        if (list == null) {
            out.nullBulk();
            return null;
        }
        long size = list.size();
        if (index < 0) {
            index += size;
        }
        if (index < 0 || index >= size) {
            out.nullBulk();
            return null;
        }
        Iterator<byte[]> it = index < size / 2 ? list.iterator() : list.descendingIterator();
        long steps = index < size / 2 ? index : size - 1 - index;
        for (long i = 0; i < steps; i++) {
            it.next();
        }
        out.bulk(it.next());
        return null;
    }
}
