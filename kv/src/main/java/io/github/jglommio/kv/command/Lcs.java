package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Keyspace;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]}: the longest common
 * subsequence of two strings (a missing key is the empty string), by the classic dynamic
 * programme, walked back from the end the way Redis walks it so that the string and the ranges
 * are the ones Redis picks among equally long answers. Stateless.
 */
final class Lcs {
    private static final byte[] EMPTY = new byte[0];

    private Lcs() {
    }

    static Command lcs(Command c, Keyspace ks, RespWriter out) {
        Object oa = ks.get(c.arg(1));
        Object ob = ks.get(c.arg(2));
        if ((oa != null && !(oa instanceof byte[])) || (ob != null && !(ob instanceof byte[]))) {
            throw new CommandError("ERR The specified keys must contain string values");
        }
        byte[] a = oa == null ? EMPTY : (byte[]) oa;
        byte[] b = ob == null ? EMPTY : (byte[]) ob;
        boolean idx = false;
        boolean len = false;
        boolean withLen = false;
        long minLen = 0;
        for (int j = 3; j < c.argCount(); j++) {
            byte[] opt = c.arg(j);
            if (Args.is(opt, "idx")) {
                idx = true;
            } else if (Args.is(opt, "len")) {
                len = true;
            } else if (Args.is(opt, "withmatchlen")) {
                withLen = true;
            } else if (Args.is(opt, "minmatchlen") && j + 1 < c.argCount()) {
                minLen = Math.max(0, Args.longArg(c, ++j));
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (idx && len) {
            throw new CommandError("ERR If you want both the length and indexes, please just use IDX.");
        }
        // Redis sizes its table as (|a|+1)(|b|+1) 32-bit cells and refuses beyond proto-max-bulk-len.
        if ((a.length + 1L) * (b.length + 1L) * 4 > StringCommands.MAX_STRING) {
            throw new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        Table t = new Table(a, b);
        if (len && !idx) {
            out.integer(t.length);
            return null;
        }
        byte[] common = new byte[t.length];
        List<long[]> ranges = t.walk(common, minLen);
        if (!idx) {
            out.bulk(common);
            return null;
        }
        out.mapHeader(2);
        out.bulk(Args.ascii("matches"));
        out.arrayHeader(ranges.size());
        for (long[] r : ranges) {
            out.arrayHeader(withLen ? 3 : 2);
            out.arrayHeader(2).integer(r[0]).integer(r[1]);
            out.arrayHeader(2).integer(r[2]).integer(r[3]);
            if (withLen) {
                out.integer(r[1] - r[0] + 1);
            }
        }
        out.bulk(Args.ascii("len"));
        out.integer(t.length);
        return null;
    }

    /**
     * The filled table, kept as one bit per cell: whether, where the bytes differ, the walk goes
     * up (the LCS without a's last byte is strictly longer) rather than left. That is all the walk
     * needs, at 1/32 of the memory of the length table.
     */
    private static final class Table {
        final byte[] a;
        final byte[] b;
        final long[] up;
        final int length;

        Table(byte[] a, byte[] b) {
            this.a = a;
            this.b = b;
            int n = b.length;
            up = new long[(int) (((long) a.length * n + 63) >>> 6)];
            int[] prev = new int[n + 1];
            int[] cur = new int[n + 1];
            for (int i = 1; i <= a.length; i++) {
                cur[0] = 0;
                for (int j = 1; j <= n; j++) {
                    if (a[i - 1] == b[j - 1]) {
                        cur[j] = prev[j - 1] + 1;
                    } else if (prev[j] > cur[j - 1]) {
                        cur[j] = prev[j];
                        long bit = (long) (i - 1) * n + (j - 1);
                        up[(int) (bit >>> 6)] |= 1L << bit;
                    } else {
                        cur[j] = cur[j - 1];
                    }
                }
                int[] swap = prev;
                prev = cur;
                cur = swap;
            }
            length = prev[n];
        }

        private boolean up(int i, int j) {
            long bit = (long) (i - 1) * b.length + (j - 1);
            return (up[(int) (bit >>> 6)] & (1L << bit)) != 0;
        }

        /**
         * Walks back from the end, filling {@code common} and returning the matched ranges (last
         * first) as {aStart, aEnd, bStart, bEnd}, those shorter than {@code minLen} left out.
         */
        List<long[]> walk(byte[] common, long minLen) {
            List<long[]> ranges = new ArrayList<>();
            int k = common.length;
            int i = a.length;
            int j = b.length;
            long[] range = null;
            while (i > 0 && j > 0) {
                boolean emit;
                if (a[i - 1] == b[j - 1]) {
                    common[--k] = a[i - 1];
                    if (range == null) {
                        range = new long[] {i - 1, i - 1, j - 1, j - 1};
                    } else {
                        range[0] = i - 1; // contiguous: the previous step was the match at (i, j)
                        range[2] = j - 1;
                    }
                    emit = i == 1 || j == 1;
                    i--;
                    j--;
                } else {
                    if (up(i, j)) {
                        i--;
                    } else {
                        j--;
                    }
                    emit = range != null;
                }
                if (emit) {
                    if (range[1] - range[0] + 1 >= minLen) {
                        ranges.add(range);
                    }
                    range = null;
                }
            }
            return ranges;
        }
    }
}
