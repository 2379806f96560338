package io.github.jglommio.kv.resp;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends RESP2 or RESP3 replies to a growable byte array that it owns.
 *
 * <p>The writer speaks the protocol of its connection ({@link #protocol(int)}, 2 until HELLO 3):
 * the methods for null, map, set, double, verbatim, boolean and push replies write the RESP3 type
 * under 3 and the form Redis sends a RESP2 client otherwise, so a command handler states what its
 * reply <em>is</em> and never asks which protocol it talks.
 *
 * <p>The bytes written so far are {@code array()[0, size())}; the server writes them to the
 * socket and then calls {@link #clear()}. The array is reused across {@code clear()} calls, so
 * a connection that pipelines many small replies allocates nothing once the array has grown to
 * its working size. Not thread-safe: one writer per connection (or per shard batch).
 */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = {'+', 'O', 'K', '\r', '\n'};
    private static final byte[] NULL_BULK = {'$', '-', '1', '\r', '\n'};
    private static final byte[] NULL_ARRAY = {'*', '-', '1', '\r', '\n'};
    private static final byte[] NULL = {'_', '\r', '\n'};
    private static final byte[] TRUE = {'#', 't', '\r', '\n'};
    private static final byte[] FALSE = {'#', 'f', '\r', '\n'};
    private static final byte[] VERBATIM_TXT = {'t', 'x', 't', ':'};
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int size;
    /** 2 or 3: the RESP version of the replies; set by the connection's task between replies. */
    private int protocol = 2;

    /** Creates a writer with a 4 KiB initial array. */
    public RespWriter() {
        this(4096);
    }

    /**
     * Creates a writer.
     *
     * @param initialCapacity the initial array length in bytes, at least 16
     */
    public RespWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /**
     * Appends a simple string reply {@code +text\r\n}. The text must not contain CR or LF.
     *
     * @param text ASCII text
     * @return this writer
     */
    public RespWriter simpleString(String text) {
        ensure(text.length() + 3);
        buf[size++] = '+';
        writeAscii(text);
        return crlf();
    }

    /**
     * Appends {@code +OK\r\n} without converting a string.
     *
     * @return this writer
     */
    public RespWriter ok() {
        return raw(OK);
    }

    /**
     * Appends an error reply {@code -text\r\n}. CR and LF inside the text become spaces, as Redis
     * does, so a client-supplied name quoted in an error cannot break the framing.
     *
     * @param text the error text without the leading {@code -}, e.g. {@code ERR syntax error}
     * @return this writer
     */
    public RespWriter error(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ensure(bytes.length + 3);
        buf[size++] = '-';
        for (byte b : bytes) {
            buf[size++] = (b == '\r' || b == '\n') ? (byte) ' ' : b;
        }
        return crlf();
    }

    /**
     * Appends an integer reply {@code :n\r\n}.
     *
     * @param value the integer
     * @return this writer
     */
    public RespWriter integer(long value) {
        return prefixed((byte) ':', value);
    }

    /**
     * Appends a bulk string reply {@code $len\r\n<bytes>\r\n}.
     *
     * @param value the bytes; not retained
     * @return this writer
     */
    public RespWriter bulk(byte[] value) {
        return bulk(value, 0, value.length);
    }

    /**
     * Appends a bulk string reply of {@code value[off, off + len)}.
     *
     * @param value the array holding the bytes; not retained
     * @param off the first byte
     * @param len the number of bytes
     * @return this writer
     */
    public RespWriter bulk(byte[] value, int off, int len) {
        prefixed((byte) '$', len);
        ensure(len + 2);
        System.arraycopy(value, off, buf, size, len);
        size += len;
        return crlf();
    }

    /**
     * Appends a bulk string holding the decimal text of {@code value}.
     *
     * @param value the number
     * @return this writer
     */
    public RespWriter bulk(long value) {
        return bulk(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Appends a bulk string holding a double the way Redis prints scores: {@code inf}/{@code -inf},
     * integral values without a fraction, others in the shortest form that reads back exactly.
     *
     * @param value the number, not NaN
     * @return this writer
     */
    public RespWriter bulkDouble(double value) {
        return bulk(formatDouble(value));
    }

    /**
     * Formats a double like {@link #bulkDouble(double)} does.
     *
     * @param value the number
     * @return its ASCII text
     */
    public static byte[] formatDouble(double value) {
        String s;
        if (Double.isInfinite(value)) {
            s = value > 0 ? "inf" : "-inf";
        } else if (value == Math.rint(value) && Math.abs(value) < 1e17) {
            s = Long.toString((long) value);
        } else {
            double abs = Math.abs(value);
            if (abs >= 1e-5 && abs < 1e21) {
                // Double.toString is shortest-round-trip; BigDecimal only removes its E notation.
                s = new BigDecimal(Double.toString(value)).toPlainString();
            } else {
                s = Double.toString(value).replace("E-", "e-").replace("E", "e+");
            }
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Appends the null bulk string {@code $-1\r\n} (a missing key); {@code _\r\n} under RESP3.
     *
     * @return this writer
     */
    public RespWriter nullBulk() {
        return raw(protocol == 3 ? NULL : NULL_BULK);
    }

    /**
     * Appends an array header {@code *n\r\n}; the caller then appends {@code n} replies.
     *
     * @param count the number of elements that follow
     * @return this writer
     */
    public RespWriter arrayHeader(int count) {
        return prefixed((byte) '*', count);
    }

    /**
     * Appends the null array {@code *-1\r\n} ({@code _\r\n} under RESP3).
     *
     * @return this writer
     */
    public RespWriter nullArray() {
        return raw(protocol == 3 ? NULL : NULL_ARRAY);
    }

    /**
     * Appends a map header for {@code count} key/value pairs: {@code %count} under RESP3, else the
     * flat array {@code *2count} that Redis sends a RESP2 client; the caller then appends
     * {@code 2 * count} replies, key before value.
     *
     * @param count the number of pairs that follow
     * @return this writer
     */
    public RespWriter mapHeader(int count) {
        return protocol == 3 ? prefixed((byte) '%', count) : prefixed((byte) '*', 2L * count);
    }

    /**
     * Appends a set header {@code ~count} (under RESP2 an array header); {@code count} replies follow.
     *
     * @param count the number of elements that follow
     * @return this writer
     */
    public RespWriter setHeader(int count) {
        return prefixed(protocol == 3 ? (byte) '~' : (byte) '*', count);
    }

    /**
     * Appends a push header {@code >count} (under RESP2 an array header), for out-of-band messages
     * such as pub/sub deliveries; {@code count} replies follow.
     *
     * @param count the number of elements that follow
     * @return this writer
     */
    public RespWriter pushHeader(int count) {
        return prefixed(protocol == 3 ? (byte) '>' : (byte) '*', count);
    }

    /**
     * Appends the header of an array of {@code count} pairs, as Redis 7.0 sends member/score and
     * field/value lists: under RESP3 an array of {@code count} two-element arrays (each started
     * with {@link #pair()}), under RESP2 one flat array of {@code 2 * count} elements.
     *
     * @param count the number of pairs that follow
     * @return this writer
     */
    public RespWriter pairsHeader(int count) {
        return prefixed((byte) '*', protocol == 3 ? count : 2L * count);
    }

    /**
     * Starts one pair of a {@link #pairsHeader(int)} array: {@code *2} under RESP3, nothing under
     * RESP2; the caller then appends the two replies.
     *
     * @return this writer
     */
    public RespWriter pair() {
        return protocol == 3 ? prefixed((byte) '*', 2) : this;
    }

    /**
     * Appends a double whose text the caller formatted (Redis's {@code %.17g} for scores):
     * {@code ,text} under RESP3, the bulk string {@code text} under RESP2.
     *
     * @param text ASCII text of the number, e.g. {@code 2.5} or {@code -inf}; not retained
     * @return this writer
     */
    public RespWriter doubleValue(byte[] text) {
        if (protocol != 3) {
            return bulk(text);
        }
        ensure(text.length + 3);
        buf[size++] = ',';
        System.arraycopy(text, 0, buf, size, text.length);
        size += text.length;
        return crlf();
    }

    /**
     * Appends a verbatim text reply (INFO, CLIENT LIST, LATENCY DOCTOR...): {@code =len\r\ntxt:...}
     * under RESP3, a bulk string under RESP2.
     *
     * @param text the text; not retained
     * @return this writer
     */
    public RespWriter verbatim(byte[] text) {
        if (protocol != 3) {
            return bulk(text);
        }
        prefixed((byte) '=', text.length + VERBATIM_TXT.length);
        raw(VERBATIM_TXT);
        raw(text);
        return crlf();
    }

    /**
     * Appends a boolean: {@code #t}/{@code #f} under RESP3, the integer 1 or 0 under RESP2.
     *
     * @param value the boolean
     * @return this writer
     */
    public RespWriter bool(boolean value) {
        if (protocol != 3) {
            return integer(value ? 1 : 0);
        }
        return raw(value ? TRUE : FALSE);
    }

    /**
     * Sets the protocol of the replies written from now on. Called by the connection's task when
     * HELLO or RESET changes it, while no other task writes to this writer.
     *
     * @param version 2 or 3
     * @throws IllegalArgumentException for another version
     */
    public void protocol(int version) {
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("RESP version " + version);
        }
        protocol = version;
    }

    /**
     * Returns the protocol of the replies this writer writes.
     *
     * @return 2 or 3
     */
    public int protocol() {
        return protocol;
    }

    /**
     * Appends bytes verbatim, for replies encoded elsewhere (for example gathered from shards).
     *
     * @param bytes the bytes; not retained
     * @return this writer
     */
    public RespWriter raw(byte[] bytes) {
        return raw(bytes, 0, bytes.length);
    }

    /**
     * Appends {@code bytes[off, off + len)} verbatim.
     *
     * @param bytes the array holding the bytes; not retained
     * @param off the first byte
     * @param len the number of bytes
     * @return this writer
     */
    public RespWriter raw(byte[] bytes, int off, int len) {
        ensure(len);
        System.arraycopy(bytes, off, buf, size, len);
        size += len;
        return this;
    }

    /**
     * Appends a command as a RESP multibulk request, the form the append-only log stores.
     *
     * @param cmd the command
     * @return this writer
     */
    public RespWriter command(Command cmd) {
        arrayHeader(cmd.argCount());
        for (byte[] a : cmd.args()) {
            bulk(a);
        }
        return this;
    }

    /**
     * Encodes a command as a RESP multibulk request ({@code *n\r\n$len\r\narg\r\n...}).
     *
     * @param cmd the command
     * @return a new array holding exactly the encoding
     */
    public static byte[] encodeCommand(Command cmd) {
        int len = 16;
        for (byte[] a : cmd.args()) {
            len += a.length + 16;
        }
        RespWriter w = new RespWriter(len);
        w.command(cmd);
        return w.toByteArray();
    }

    /**
     * Returns the number of bytes written since the last {@link #clear()}.
     *
     * @return the size in bytes
     */
    public int size() {
        return size;
    }

    /**
     * Returns the backing array; bytes {@code [0, size())} are the replies. The array changes when
     * the writer grows, so fetch it again after every append.
     *
     * @return the backing array, owned by this writer
     */
    public byte[] array() {
        return buf;
    }

    /**
     * Returns a copy of the bytes written so far.
     *
     * @return a new array of length {@link #size()}
     */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /**
     * Forgets what was written after the first {@code size} bytes.
     *
     * @param size the size to go back to, from 0 to {@link #size()}
     * @throws IndexOutOfBoundsException if {@code size} is out of range
     */
    public void truncate(int size) {
        if (size < 0 || size > this.size) {
            throw new IndexOutOfBoundsException("truncate to " + size + " of " + this.size);
        }
        this.size = size;
    }

    /** Forgets everything written; keeps the array for reuse. */
    public void clear() {
        size = 0;
    }

    /**
     * Forgets everything written, as {@link #clear()}, and gives up an array that grew past
     * {@code maxCapacity} for a new one of {@code initialCapacity} bytes: for a writer that an idle
     * connection keeps, so that one large reply does not stay allocated for the connection's life.
     *
     * @param maxCapacity the largest array kept
     * @param initialCapacity the length of the array that replaces a larger one, at least 16
     */
    public void clearAndTrim(int maxCapacity, int initialCapacity) {
        size = 0;
        if (buf.length > maxCapacity) {
            buf = new byte[Math.max(16, initialCapacity)];
        }
    }

    /**
     * Returns the length of the backing array: the bytes this writer holds, written or not.
     *
     * @return the capacity in bytes
     */
    public int capacity() {
        return buf.length;
    }

    /**
     * Drops the first {@code n} bytes, moving the rest to the front; for a socket write that took
     * only part of the replies.
     *
     * @param n the number of bytes already sent, from 0 to {@link #size()}
     * @throws IndexOutOfBoundsException if {@code n} is out of range
     */
    public void discardFront(int n) {
        if (n < 0 || n > size) {
            throw new IndexOutOfBoundsException(n);
        }
        System.arraycopy(buf, n, buf, 0, size - n);
        size -= n;
    }

    /**
     * Copies bytes {@code [from, size())} into {@code dst}, as many as fit.
     *
     * @param from the first byte to copy
     * @param dst the destination; its position advances
     * @return the number of bytes copied
     */
    public int writeTo(int from, ByteBuffer dst) {
        int n = Math.min(size - from, dst.remaining());
        dst.put(buf, from, n);
        return n;
    }

    /**
     * Copies all written bytes into {@code dst}.
     *
     * @param dst the destination; its position advances
     * @throws java.nio.BufferOverflowException if {@code dst} has less room than {@link #size()}
     */
    public void writeTo(ByteBuffer dst) {
        dst.put(buf, 0, size);
    }

    @Override
    public String toString() {
        return new String(buf, 0, size, StandardCharsets.UTF_8);
    }

    private RespWriter prefixed(byte type, long value) {
        ensure(24);
        buf[size++] = type;
        if (value == Long.MIN_VALUE) {
            System.arraycopy(MIN_LONG, 0, buf, size, MIN_LONG.length);
            size += MIN_LONG.length;
            return crlf();
        }
        if (value < 0) {
            buf[size++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = size + digits - 1; i >= size; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        size += digits;
        return crlf();
    }

    private RespWriter crlf() {
        ensure(2);
        buf[size++] = CRLF[0];
        buf[size++] = CRLF[1];
        return this;
    }

    private void writeAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            buf[size++] = (byte) text.charAt(i);
        }
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) size + extra);
            buf = Arrays.copyOf(buf, (int) Math.min(want, Integer.MAX_VALUE - 8));
        }
    }
}
