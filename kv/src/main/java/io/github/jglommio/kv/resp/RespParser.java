package io.github.jglommio.kv.resp;

import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental parser of client requests, one per connection: RESP multibulk requests
 * ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) and inline requests ({@code GET k\r\n}, with Redis's
 * quoting rules: {@code "..."} with {@code \n \r \t \b \a \xHH} escapes, {@code '...'} with
 * {@code \'}).
 *
 * <p>Consumption contract. {@link #next(byte[], int, int)} takes bytes {@code buf[from, to)} and
 * <ul>
 *   <li>returns a complete command, with {@link #consumed()} = the bytes up to and including its
 *       final CRLF; the bytes after it belong to later requests, so call {@code next} again with
 *       {@code from + consumed()}; or</li>
 *   <li>returns {@code null}, with {@link #consumed()} = {@code to - from}: every byte has been
 *       taken in, and a partial request (header digits, the filled part of a bulk payload) is kept
 *       inside the parser. The caller must <b>not</b> present those bytes again; it may reuse its
 *       buffer and call {@code next} with only the bytes that arrive next.</li>
 * </ul>
 * So a 1 MiB value split over many reads is copied once, straight into the argument array, and
 * the caller never compacts or grows its read buffer. The returned command's arrays are fresh;
 * the parser never reuses them.
 *
 * <p>Like Redis, empty inline lines and {@code *0} / {@code *-1} are skipped, the two bytes that
 * end a bulk payload are skipped without being checked, and the byte after the {@code \r} of a
 * header line is skipped without being checked. Any line longer than 64 KiB is an error.
 *
 * <p>Errors. A {@link ProtocolException} leaves the parser failed: every later call throws the
 * same exception, because the stream cannot be resynchronised; the server replies with the
 * message and closes the connection (as Redis does). Not thread-safe.
 */
public final class RespParser {
    /** Redis's default {@code proto-max-bulk-len}: 512 MiB. */
    public static final int DEFAULT_MAX_BULK_LENGTH = 512 * 1024 * 1024;
    /** Redis's limit on the argument count of one request: 1024 * 1024. */
    public static final int DEFAULT_MAX_MULTIBULK_LENGTH = 1024 * 1024;
    /** The longest line (inline request or header) accepted without a terminator: 64 KiB. */
    public static final int MAX_LINE_LENGTH = 64 * 1024;

    // Bulk payloads up to this size get their exact array at once; larger ones grow as bytes
    // arrive, so a header that announces 512 MiB cannot make us allocate it before it is sent.
    private static final int EAGER_BULK_LIMIT = 64 * 1024;
    // Likewise the argument array of a huge multibulk count grows as arguments arrive.
    private static final int EAGER_ARGS_LIMIT = 1024;

    private static final int START = 0;
    private static final int INLINE = 1;
    private static final int MULTIBULK_COUNT = 2;
    private static final int BULK_DOLLAR = 3;
    private static final int BULK_LENGTH = 4;
    private static final int BULK_DATA = 5;
    private static final int BULK_DONE = 6;

    /** Redis's limits before AUTH: a client that has not authenticated may send no more than this many arguments... */
    public static final int UNAUTHENTICATED_MAX_MULTIBULK_LENGTH = 10;
    /** ...nor an argument longer than this, so that it cannot make the server buffer much before AUTH. */
    public static final int UNAUTHENTICATED_MAX_BULK_LENGTH = 16 * 1024;

    private final int maxBulkLength;
    private final int maxMultibulkLength;
    private boolean unauthenticated;

    private int state = START;
    // Bytes to drop before looking at the state: the LF after a header's CR, the CRLF after a bulk.
    private int skip;
    // A header or inline line split across calls; empty while lines arrive whole.
    private byte[] line = new byte[64];
    private int lineLength;
    private byte[][] args;
    private int argCount;
    private int argIndex;
    private byte[] bulk;
    private int bulkLength;
    private int bulkFilled;
    private int consumed;
    private ProtocolException failure;

    /** Creates a parser with Redis's default limits. */
    public RespParser() {
        this(DEFAULT_MAX_BULK_LENGTH, DEFAULT_MAX_MULTIBULK_LENGTH);
    }

    /**
     * Creates a parser.
     *
     * @param maxBulkLength the largest bulk argument accepted, in bytes
     * @param maxMultibulkLength the most arguments accepted in one multibulk request
     */
    public RespParser(int maxBulkLength, int maxMultibulkLength) {
        if (maxBulkLength < 0 || maxMultibulkLength < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxBulkLength = maxBulkLength;
        this.maxMultibulkLength = maxMultibulkLength;
    }

    /**
     * Applies Redis's pre-AUTH limits ({@value #UNAUTHENTICATED_MAX_MULTIBULK_LENGTH} arguments,
     * {@value #UNAUTHENTICATED_MAX_BULK_LENGTH} bytes each) to the requests parsed from now on, or
     * lifts them. Past them a request fails with Redis's {@code unauthenticated multibulk length}
     * or {@code bulk length} protocol error, so the connection closes before the argument is read.
     *
     * @param unauthenticated whether the client still has to authenticate
     */
    public void requireAuthentication(boolean unauthenticated) {
        this.unauthenticated = unauthenticated;
    }

    /**
     * Parses the next request from {@code buf[from, to)}; see the class comment for which bytes are
     * consumed.
     *
     * @param buf the bytes read from the connection; not retained
     * @param from the first unread byte
     * @param to one past the last byte
     * @return the next complete command, or {@code null} when all bytes were taken in and more are
     *     needed
     * @throws ProtocolException if the bytes break the protocol; the parser stays failed
     */
    public Command next(byte[] buf, int from, int to) throws ProtocolException {
        if (failure != null) {
            throw failure;
        }
        Objects.checkFromToIndex(from, to, buf.length);
        try {
            return parse(buf, from, to);
        } catch (ProtocolException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Returns how many bytes the last {@link #next(byte[], int, int)} call consumed.
     *
     * @return the byte count
     */
    public int consumed() {
        return consumed;
    }

    /**
     * Returns whether a request has been started but not completed (bytes are held inside).
     *
     * @return {@code true} in the middle of a request
     */
    public boolean hasPartialRequest() {
        return state != START || skip > 0;
    }

    /** Forgets any partial request and any failure, to parse a fresh stream. */
    public void reset() {
        state = START;
        skip = 0;
        lineLength = 0;
        args = null;
        bulk = null;
        failure = null;
        consumed = 0;
    }

    private Command parse(byte[] buf, int from, int to) throws ProtocolException {
        int pos = from;
        while (true) {
            if (skip > 0) {
                int n = Math.min(skip, to - pos);
                pos += n;
                skip -= n;
                if (skip > 0) {
                    break;
                }
            }
            if (state == START) {
                if (pos == to) {
                    break;
                }
                if (buf[pos] == '*') {
                    pos++;
                    state = MULTIBULK_COUNT;
                } else {
                    state = INLINE;
                }
            } else if (state == INLINE) {
                int end = findLine(buf, pos, to, (byte) '\n', "ERR Protocol error: too big inline request");
                if (end < 0) {
                    pos = to;
                    break;
                }
                byte[][] inline = inlineArgs(buf, pos, end);
                pos = end + 1;
                state = START;
                if (inline.length > 0) {
                    return complete(Command.of(inline), from, pos);
                }
            } else if (state == MULTIBULK_COUNT) {
                int end = findLine(buf, pos, to, (byte) '\r', "ERR Protocol error: too big mbulk count string");
                if (end < 0) {
                    pos = to;
                    break;
                }
                long count = lineNumber(buf, pos, end);
                pos = end + 1;
                skip = 1;
                if (count == Long.MIN_VALUE || count > maxMultibulkLength) {
                    throw new ProtocolException("ERR Protocol error: invalid multibulk length");
                }
                if (unauthenticated && count > UNAUTHENTICATED_MAX_MULTIBULK_LENGTH) {
                    throw new ProtocolException("ERR Protocol error: unauthenticated multibulk length");
                }
                if (count <= 0) {
                    state = START;
                } else {
                    argCount = (int) count;
                    argIndex = 0;
                    args = new byte[Math.min(argCount, EAGER_ARGS_LIMIT)][];
                    state = BULK_DOLLAR;
                }
            } else if (state == BULK_DOLLAR) {
                if (pos == to) {
                    break;
                }
                byte b = buf[pos++];
                if (b != '$') {
                    throw new ProtocolException("ERR Protocol error: expected '$', got '" + (char) (b & 0xff) + "'");
                }
                state = BULK_LENGTH;
            } else if (state == BULK_LENGTH) {
                int end = findLine(buf, pos, to, (byte) '\r', "ERR Protocol error: too big bulk count string");
                if (end < 0) {
                    pos = to;
                    break;
                }
                long length = lineNumber(buf, pos, end);
                pos = end + 1;
                skip = 1;
                if (length < 0 || length > maxBulkLength) {
                    throw new ProtocolException("ERR Protocol error: invalid bulk length");
                }
                if (unauthenticated && length > UNAUTHENTICATED_MAX_BULK_LENGTH) {
                    throw new ProtocolException("ERR Protocol error: unauthenticated bulk length");
                }
                bulkLength = (int) length;
                bulkFilled = 0;
                bulk = new byte[Math.min(bulkLength, EAGER_BULK_LIMIT)];
                state = BULK_DATA;
            } else if (state == BULK_DATA) {
                int n = Math.min(bulkLength - bulkFilled, to - pos);
                if (bulkFilled + n > bulk.length) {
                    bulk = Arrays.copyOf(bulk, (int) Math.min(bulkLength, Math.max(2L * bulk.length, bulkFilled + n)));
                }
                System.arraycopy(buf, pos, bulk, bulkFilled, n);
                bulkFilled += n;
                pos += n;
                if (bulkFilled < bulkLength) {
                    break;
                }
                if (argIndex == args.length) {
                    args = Arrays.copyOf(args, (int) Math.min(argCount, 2L * args.length));
                }
                args[argIndex++] = bulk;
                bulk = null;
                skip = 2;
                state = BULK_DONE;
            } else { // BULK_DONE: reached only once the CRLF after the payload has been skipped
                if (argIndex < argCount) {
                    state = BULK_DOLLAR;
                } else {
                    byte[][] done = args;
                    args = null;
                    state = START;
                    return complete(Command.of(done), from, pos);
                }
            }
        }
        consumed = to - from;
        return null;
    }

    private Command complete(Command cmd, int from, int pos) {
        consumed = pos - from;
        return cmd;
    }

    /**
     * Finds the terminator of the current line. When it is absent, keeps {@code buf[pos, to)} in
     * {@link #line} and returns -1; when the line continues one started in an earlier call, appends
     * the rest to {@link #line} too. Lines longer than {@link #MAX_LINE_LENGTH} fail whatever the
     * chunking.
     */
    private int findLine(byte[] buf, int pos, int to, byte terminator, String tooBig) throws ProtocolException {
        int end = pos;
        while (end < to && buf[end] != terminator) {
            end++;
        }
        if (lineLength + (end - pos) > MAX_LINE_LENGTH) {
            throw new ProtocolException(tooBig);
        }
        if (end == to || lineLength > 0) {
            appendLine(buf, pos, end);
        }
        return end == to ? -1 : end;
    }

    private void appendLine(byte[] buf, int pos, int end) {
        int n = end - pos;
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        }
        System.arraycopy(buf, pos, line, lineLength, n);
        lineLength += n;
    }

    /** Parses the current header line as a number; Long.MIN_VALUE when it is not one. */
    private long lineNumber(byte[] buf, int pos, int end) {
        long v;
        if (lineLength > 0) {
            v = Ascii.parseOr(line, 0, lineLength, Long.MIN_VALUE);
            lineLength = 0;
        } else {
            v = Ascii.parseOr(buf, pos, end - pos, Long.MIN_VALUE);
        }
        return v;
    }

    private byte[][] inlineArgs(byte[] buf, int pos, int end) throws ProtocolException {
        byte[] a = buf;
        int off = pos;
        int len = end - pos;
        if (lineLength > 0) {
            a = line;
            off = 0;
            len = lineLength;
            lineLength = 0;
        }
        if (len > 0 && a[off + len - 1] == '\r') {
            len--;
        }
        byte[][] split = InlineSplitter.split(a, off, len);
        if (split == null) {
            throw new ProtocolException("ERR Protocol error: unbalanced quotes in request");
        }
        return split;
    }
}
