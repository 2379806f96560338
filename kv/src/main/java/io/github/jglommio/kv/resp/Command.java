package io.github.jglommio.kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One client request: the command name followed by its arguments, all as raw bytes.
 *
 * <p>Immutable by contract: {@link #args()} and {@link #arg(int)} return the backing arrays
 * without copying (the hot path must not copy values), so callers must not write into them. The
 * keyspace keeps argument arrays as stored values (for example the value of a {@code SET}).
 * A command may be passed between threads once built.
 */
public final class Command {
    private final byte[][] args;

    private Command(byte[][] args) {
        this.args = args;
    }

    /**
     * Wraps arguments without copying; the parser uses this to hand over the arrays it filled.
     *
     * @param args the name and arguments; at least one element, none null
     * @return the command
     * @throws IllegalArgumentException if {@code args} is empty
     */
    public static Command of(byte[]... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("a command needs at least its name");
        }
        return new Command(args);
    }

    /**
     * Builds a command from strings encoded as UTF-8; for tests, the log and server-made commands.
     *
     * @param args the name and arguments; at least one element
     * @return the command
     * @throws IllegalArgumentException if {@code args} is empty
     */
    public static Command of(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return of(bytes);
    }

    /**
     * Returns the backing argument array; element 0 is the command name exactly as sent.
     *
     * @return the arguments, not to be modified
     */
    public byte[][] args() {
        return args;
    }

    /**
     * Returns the number of arguments including the command name (Redis's {@code argc}).
     *
     * @return the argument count, at least 1
     */
    public int argCount() {
        return args.length;
    }

    /**
     * Returns argument {@code i}; {@code arg(0)} is the command name.
     *
     * @param i the index, from 0 to {@code argCount() - 1}
     * @return the argument bytes, not to be modified
     * @throws ArrayIndexOutOfBoundsException if {@code i} is out of range
     */
    public byte[] arg(int i) {
        return args[i];
    }

    /**
     * Returns the command name lower-cased (ASCII only, other bytes as ISO-8859-1 chars). Allocates:
     * the hot path looks commands up by bytes instead (see {@code CommandTable}).
     *
     * @return the lower-case name
     */
    public String name() {
        byte[] n = args[0];
        char[] chars = new char[n.length];
        for (int i = 0; i < n.length; i++) {
            int b = n[i] & 0xff;
            chars[i] = (char) (b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
        }
        return new String(chars);
    }

    /** Commands are equal when they have the same arguments byte for byte. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Command c && Arrays.deepEquals(args, c.args);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(args);
    }

    /** Returns the arguments as UTF-8 text separated by spaces, for diagnostics. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (byte[] a : args) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(new String(a, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }
}
