package io.github.jglommio.kv.server;

/**
 * Walks RESP2 or RESP3 replies that a shard wrote, so the server can merge several shards' replies into one
 * (the elements of per-shard MGET arrays, the cursor of a shard's SCAN reply). The input is always
 * well formed: it comes from {@code RespWriter}. Stateless; any thread.
 */
final class RespScan {

    private RespScan() {
    }

    /** The position after the CRLF of the line that starts at {@code pos}. */
    static int lineEnd(byte[] b, int pos) {
        int i = pos;
        while (b[i] != '\r') {
            i++;
        }
        return i + 2;
    }

    /** The signed decimal number that follows the type byte at {@code pos}. */
    static long number(byte[] b, int pos) {
        int i = pos + 1;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        long n = 0;
        while (b[i] != '\r') {
            n = n * 10 + (b[i++] - '0');
        }
        return negative ? -n : n;
    }

    /** The position after the element (of any type, aggregates recursively) that starts at {@code pos}. */
    static int skip(byte[] b, int pos) {
        switch (b[pos]) {
            case '$', '=', '!' -> {
                long len = number(b, pos);
                int after = lineEnd(b, pos);
                return len < 0 ? after : after + (int) len + 2;
            }
            case '*', '~', '>', '%' -> {
                long n = b[pos] == '%' ? 2 * number(b, pos) : number(b, pos);
                int i = lineEnd(b, pos);
                for (long k = 0; k < n; k++) {
                    i = skip(b, i);
                }
                return i;
            }
            default -> {
                return lineEnd(b, pos);
            }
        }
    }

    /** True when the reply at {@code pos} is a null: {@code $-1} or {@code *-1}, or RESP3's {@code _}. */
    static boolean isNull(byte[] b, int pos) {
        return b[pos] == '_' || ((b[pos] == '$' || b[pos] == '*') && b[pos + 1] == '-');
    }

    /** True when the reply at {@code pos} is an error. */
    static boolean isError(byte[] b, int pos) {
        return b[pos] == '-';
    }
}
