package io.github.jglommio.kv.resp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A tiny random-input generator for property tests, driven by {@link SplittableRandom} with fixed
 * seeds so every run checks the same cases and every failure is reproducible.
 *
 * <p>{@link #check(String, int, Property)} runs a property for seeds {@code base, base + 1, ...},
 * where {@code base} is {@link #DEFAULT_BASE_SEED} unless the system property {@code kv.fuzz.seed}
 * overrides it (to explore other cases, or to rerun a failure: a failure reports its seed, and
 * running with {@code -Dkv.fuzz.seed=<that seed>} makes it the first case tried). There is no
 * shrinking; the sizes drawn are small enough that a failing case can be read as it is.
 */
final class Fuzz {
    /** The first seed of every property unless {@code -Dkv.fuzz.seed} says otherwise. */
    static final long DEFAULT_BASE_SEED = 0x6a67_6c6f_6d6d_696fL;
    /** The system property that replaces {@link #DEFAULT_BASE_SEED}. */
    static final String SEED_PROP_NAME = "kv.fuzz.seed";

    /** One property, checked against the values drawn from {@code fuzz}. */
    @FunctionalInterface
    interface Property {
        void check(Fuzz fuzz) throws Exception;
    }

    private final SplittableRandom random;

    /**
     * Creates a generator.
     *
     * @param seed the seed; the same seed draws the same values
     */
    Fuzz(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * Checks a property against {@code tries} seeds in turn, stopping at the first failure with an
     * {@link AssertionError} that names the property and the seed.
     *
     * @param name the property, for the failure message
     * @param tries how many seeds to try
     * @param property the check
     */
    static void check(String name, int tries, Property property) {
        long base = Long.getLong(SEED_PROP_NAME, DEFAULT_BASE_SEED);
        for (int i = 0; i < tries; i++) {
            long seed = base + i;
            try {
                property.check(new Fuzz(seed));
            } catch (Throwable t) {
                throw new AssertionError(name + " failed for seed " + seed + " (try " + i + " of " + tries
                    + "); rerun it first with -D" + SEED_PROP_NAME + "=" + seed + ": " + t, t);
            }
        }
    }

    // ---- scalars ---------------------------------------------------------------------------

    /** @return a value in {@code [min, max]}, uniformly */
    int between(int min, int max) {
        return random.nextInt(min, max + 1);
    }

    /**
     * Draws a collection size, favouring the edges as hand-written cases would: a sixth of the
     * time {@code min}, a sixth {@code max}, else uniform.
     *
     * @return a size in {@code [min, max]}
     */
    int size(int min, int max) {
        return switch (random.nextInt(6)) {
            case 0 -> min;
            case 1 -> max;
            default -> between(min, max);
        };
    }

    /** @return {@code true} with probability {@code 1 / n} */
    boolean oneIn(int n) {
        return random.nextInt(n) == 0;
    }

    /** @return any long, with small magnitudes and the extremes as likely as large ones */
    long anyLong() {
        return switch (random.nextInt(4)) {
            case 0 -> pick(0L, 1L, -1L, 9L, 10L, -10L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1,
                Long.MAX_VALUE - 1);
            case 1 -> random.nextLong();
            default -> random.nextLong() >> random.nextInt(64);
        };
    }

    /** @return one of the given values, uniformly */
    @SafeVarargs
    final <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    // ---- bytes -----------------------------------------------------------------------------

    /**
     * Draws bytes of a length in {@code [min, max]}. Half of the arrays are uniform; the others are
     * mostly the bytes RESP gives a meaning to, so that they meet every branch of the parser.
     *
     * @return a fresh array
     */
    byte[] bytes(int min, int max) {
        byte[] b = new byte[size(min, max)];
        if (random.nextBoolean()) {
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) random.nextInt(256);
            }
        } else {
            byte[] special = "\r\n*$ \"'\\-0123456789x".getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < b.length; i++) {
                b[i] = oneIn(4) ? (byte) random.nextInt(256) : special[random.nextInt(special.length)];
            }
        }
        return b;
    }

    /** @return {@code s} in ISO-8859-1, one byte per char */
    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Cuts bytes into up to 12 chunks at random points (empty chunks included), as reads from a
     * socket might deliver them.
     *
     * @return the chunks, which concatenate to {@code all}
     */
    List<byte[]> chunk(byte[] all) {
        int[] points = new int[size(0, 12)];
        for (int i = 0; i < points.length; i++) {
            // Cuts next to each other (one-byte chunks) matter most, so half land near the previous.
            points[i] = i > 0 && random.nextBoolean()
                ? Math.min(all.length, points[i - 1] + random.nextInt(3))
                : random.nextInt(all.length + 1);
        }
        Arrays.sort(points);
        List<byte[]> chunks = new ArrayList<>();
        int prev = 0;
        for (int p : points) {
            chunks.add(Arrays.copyOfRange(all, prev, p));
            prev = p;
        }
        chunks.add(Arrays.copyOfRange(all, prev, all.length));
        return chunks;
    }

    // ---- protocol values -------------------------------------------------------------------

    /**
     * Draws a list of valid multibulk commands: up to 8 commands of 1 to 6 arguments each, every
     * argument short and protocol-looking, a protocol fragment, large (1000 to 5000 bytes) or, one
     * time in 200, larger than the parser allocates up front (so its buffer grows as bytes arrive).
     *
     * @return the commands
     */
    List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        for (int n = size(0, 8); commands.size() < n; ) {
            byte[][] args = new byte[size(1, 6)][];
            for (int i = 0; i < args.length; i++) {
                args[i] = switch (random.nextInt(5)) {
                    case 0 -> latin1(pick("\r\n", "*1\r\n", "$3\r\n", "", "PING", "$-1\r\n", "\n"));
                    case 1 -> oneIn(40) ? bytes(64 * 1024 - 1, 200_000) : bytes(1000, 5000);
                    default -> bytes(0, 40);
                };
            }
            commands.add(Command.of(args));
        }
        return commands;
    }

    /**
     * Draws inline commands: up to 6 lines of 1 to 5 words of up to 10 characters, none starting
     * with {@code *} (which would make the line a multibulk header).
     *
     * @return each command's words
     */
    List<List<String>> inlineCommands() {
        String alphabet = "abcXYZ019_-:.*$";
        List<List<String>> commands = new ArrayList<>();
        for (int n = size(0, 6); commands.size() < n; ) {
            List<String> words = new ArrayList<>();
            for (int w = size(1, 5); words.size() < w; ) {
                StringBuilder sb = new StringBuilder();
                for (int len = size(1, 10); sb.length() < len; ) {
                    char c = alphabet.charAt(random.nextInt(alphabet.length()));
                    if (sb.isEmpty() && c == '*') {
                        continue;
                    }
                    sb.append(c);
                }
                words.add(sb.toString());
            }
            commands.add(words);
        }
        return commands;
    }

    /**
     * Draws input a client might send by mistake or malice: uniform or protocol-looking bytes,
     * a soup of protocol fragments, a valid encoding damaged by a few {@linkplain #mutate
     * mutations}, or (rarely) a line about as long as the parser accepts.
     *
     * @return the bytes
     */
    byte[] junk() {
        if (oneIn(50)) {
            return longLine();
        }
        return switch (random.nextInt(4)) {
            case 0 -> bytes(0, 300);
            case 1 -> fragments();
            default -> mutate(validStream());
        };
    }

    /** @return a line around {@link RespParser#MAX_LINE_LENGTH}: inline, or a header's digits */
    private byte[] longLine() {
        byte[] b = new byte[between(RespParser.MAX_LINE_LENGTH - 2, RespParser.MAX_LINE_LENGTH + 2)];
        Arrays.fill(b, (byte) (char) pick('x', '1', ' '));
        b[0] = (byte) (char) pick('x', '*', '$');
        return oneIn(2) ? b : splice(b, b.length, b.length, latin1("\r\n"));
    }

    private byte[] fragments() {
        StringBuilder sb = new StringBuilder();
        for (int n = size(0, 60); n > 0; n--) {
            sb.append(pick("*", "$", "\r", "\n", "\r\n", "1", "2", "0", "-1", "9", "x", "\"", "'", "\\", " ",
                "*2\r\n", "$3\r\n", "abc", "PING\r\n", "$70000\r\n", "*-5\r\n", "*1025\r\n", "$-1\r\n"));
        }
        return latin1(sb.toString());
    }

    /** @return multibulk and inline commands, correctly encoded, small enough to mutate densely */
    private byte[] validStream() {
        StringBuilder sb = new StringBuilder();
        for (int n = size(1, 4); n > 0; n--) {
            String[] words = new String[size(1, 4)];
            for (int i = 0; i < words.length; i++) {
                words[i] = pick("GET", "SET", "k", "value", "", "a b", "x\r\ny", "12345");
            }
            if (oneIn(3) && Arrays.stream(words).allMatch(w -> !w.isEmpty() && w.matches("[A-Za-z0-9]+"))) {
                sb.append(String.join(" ", words)).append(oneIn(2) ? "\r\n" : "\n");
            } else {
                sb.append('*').append(words.length).append("\r\n");
                for (String w : words) {
                    sb.append('$').append(w.length()).append("\r\n").append(w).append("\r\n");
                }
            }
        }
        return latin1(sb.toString());
    }

    /**
     * Applies 1 to 4 random mutations: flip bits of a byte, truncate, insert CR, LF or CRLF,
     * delete or duplicate a span, or replace the number after a {@code *} or {@code $} with a
     * huge, negative or malformed one.
     *
     * @return the mutated bytes (a fresh array)
     */
    byte[] mutate(byte[] valid) {
        byte[] b = valid.clone();
        for (int n = between(1, 4); n > 0; n--) {
            int at = random.nextInt(b.length + 1);
            b = switch (random.nextInt(6)) {
                case 0 -> {
                    if (at < b.length) {
                        b[at] ^= (byte) between(1, 255);
                    }
                    yield b;
                }
                case 1 -> Arrays.copyOf(b, at);
                case 2 -> splice(b, at, at, latin1(pick("\r", "\n", "\r\n", "\r\r", "\n\n")));
                case 3 -> splice(b, at, Math.min(b.length, at + between(1, 8)), new byte[0]);
                case 4 -> splice(b, at, at, Arrays.copyOfRange(b, Math.max(0, at - between(1, 8)), at));
                default -> hugeLength(b);
            };
        }
        return b;
    }

    private byte[] hugeLength(byte[] b) {
        List<Integer> headers = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '*' || b[i] == '$') {
                headers.add(i);
            }
        }
        if (headers.isEmpty()) {
            return b;
        }
        int start = headers.get(random.nextInt(headers.size())) + 1;
        int end = start;
        while (end < b.length && b[end] != '\r') {
            end++;
        }
        String number = pick("65537", "70000", "1025", "1048577", "2147483647", "2147483648", "4294967296",
            "9223372036854775807", "9223372036854775808", "99999999999999999999", "-2", "-9223372036854775808",
            "+1", " 1", "1 ", "0x10", "", "-", "00000000000000000000001");
        return splice(b, start, end, latin1(number));
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }
}
