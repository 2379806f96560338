package io.github.jglommio.kv.server;

import io.github.jglommio.kv.resp.Ascii;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One configuration parameter as {@code CONFIG GET}/{@code CONFIG SET} and the command line see it:
 * its name and optional alias, its kind, its default, whether CONFIG SET may change it, and how a
 * value is checked ({@link #normalize}). Immutable and shared by all shards; the table is
 * {@link ConfigParams}.
 *
 * @param name    the redis.conf name, lower case
 * @param alias   the old name Redis 7.0 still accepts ({@code hash-max-ziplist-entries}), or null
 * @param kind    how a value is read
 * @param change  whether CONFIG SET may change it
 * @param min     the smallest value of an {@link Kind#INT} or {@link Kind#MEMORY} parameter
 * @param max     the largest value (for {@link Kind#MEMORY} with {@code min == 0} and
 *                {@code max == -1}: any unsigned 64-bit value, as Redis's {@code maxmemory})
 * @param choices the values of an {@link Kind#ENUM} parameter, in Redis's order (its error lists them so)
 * @param defaultValue the value before anyone sets it, as CONFIG GET prints it
 */
record ConfigParam(String name, String alias, Kind kind, Change change, long min, long max, List<String> choices,
                   String defaultValue) {

    /** How a parameter's value is written and checked. */
    enum Kind {
        /** {@code yes} or {@code no}, any case. */
        BOOL,
        /** A canonical decimal integer in {@code min..max}. */
        INT,
        /** A size: digits with an optional unit (b, k, kb, m, mb, g, gb, any case), then in {@code min..max}. */
        MEMORY,
        /** One of {@link #choices}, any case. */
        ENUM,
        /** Any string. */
        STRING,
        /** {@code save}: pairs of positive integers, seconds and changes, or empty. */
        SAVE,
        /** {@code bind}: IP addresses, space separated. */
        ADDRESSES,
        /** {@code notify-keyspace-events}: letters of {@code KEg$lshzxetmdnA}, printed as Redis normalises them. */
        KEYSPACE_EVENTS,
        /** {@code client-output-buffer-limit}: see {@link OutputLimits}; a value changes only the classes it names. */
        OUTPUT_LIMITS
    }

    /** What CONFIG SET may do with a parameter. */
    enum Change {
        /** CONFIG SET changes it. */
        MUTABLE,
        /** Set at start only: {@code can't set immutable config}. */
        IMMUTABLE,
        /** Redis's protected configs ({@code dir}), refused while {@code enable-protected-configs} is no. */
        PROTECTED
    }

    /** Thrown by {@link #normalize} with Redis's reason, the text after {@code " - "}. */
    static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A parameter with a range. */
    static ConfigParam ranged(String name, String alias, Kind kind, long min, long max, String defaultValue) {
        return new ConfigParam(name, alias, kind, Change.MUTABLE, min, max, List.of(), defaultValue);
    }

    /** A parameter of another kind. */
    static ConfigParam of(String name, Kind kind, Change change, String defaultValue, String... choices) {
        return new ConfigParam(name, null, kind, change, 0, 0, List.of(choices), defaultValue);
    }

    /** The same parameter with another {@link Change}. */
    ConfigParam withChange(Change c) {
        return new ConfigParam(name, alias, kind, c, min, max, choices, defaultValue);
    }

    /** The same parameter with another default. */
    ConfigParam withDefault(String value) {
        return new ConfigParam(name, alias, kind, change, min, max, choices, value);
    }

    /**
     * What CONFIG GET prints for the stored {@code value}: the value itself, but for
     * {@code notify-keyspace-events}, whose stored form keeps an {@code n} Redis does not show.
     */
    String display(String value) {
        return kind == Kind.KEYSPACE_EVENTS
                ? io.github.jglommio.kv.store.KeyspaceEvents.format(io.github.jglommio.kv.store.KeyspaceEvents.parse(value))
                : value;
    }

    /**
     * Checks {@code value} as Redis 7.0 does for this parameter and returns it as CONFIG GET will print
     * it: {@code yes}/{@code no}, an enum choice in lower case, a size in bytes, {@code hz} clamped.
     *
     * @throws Invalid with Redis's reason, e.g. {@code argument must be between 0 and 2147483647 inclusive}
     */
    String normalize(String value) throws Invalid {
        return normalize(value, null);
    }

    /**
     * {@link #normalize(String)} for a parameter whose new value depends on the current one
     * ({@code client-output-buffer-limit} keeps the classes a value does not name).
     *
     * @param current the value now, as CONFIG GET prints it, or null for the default
     */
    String normalize(String value, String current) throws Invalid {
        return switch (kind) {
            case BOOL -> switch (value.toLowerCase(Locale.ROOT)) {
                case "yes" -> "yes";
                case "no" -> "no";
                default -> throw new Invalid("argument must be 'yes' or 'no'");
            };
            case INT -> {
                byte[] b = value.getBytes(StandardCharsets.UTF_8);
                long v = Ascii.parseOr(b, 0, b.length, Long.MIN_VALUE);
                if (v == Long.MIN_VALUE && !value.equals(Long.toString(Long.MIN_VALUE))) {
                    throw new Invalid("argument couldn't be parsed into an integer");
                }
                yield Long.toString(clamp(inRange(v)));
            }
            case MEMORY -> {
                long v = memory(value);
                yield min == 0 && max == -1 ? Long.toUnsignedString(v) : Long.toString(inRange(v));
            }
            case ENUM -> {
                String lower = value.toLowerCase(Locale.ROOT);
                if (!choices.contains(lower)) {
                    throw new Invalid("argument(s) must be one of the following: " + String.join(", ", choices));
                }
                yield lower;
            }
            case STRING -> value;
            case SAVE -> save(value);
            case ADDRESSES -> addresses(value);
            case KEYSPACE_EVENTS -> {
                int flags = io.github.jglommio.kv.store.KeyspaceEvents.parse(value);
                if (flags < 0) {
                    throw new Invalid("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
                }
                yield io.github.jglommio.kv.store.KeyspaceEvents.lossless(flags); // CONFIG GET shows display()'s
            }
            case OUTPUT_LIMITS -> OutputLimits.parse(value,
                    OutputLimits.parse(current != null ? current : defaultValue, null)).format();
        };
    }

    private long inRange(long v) throws Invalid {
        if (v < min || v > max) {
            throw new Invalid("argument must be between " + min + " and " + max + " inclusive");
        }
        return v;
    }

    /** {@code hz} keeps to 1..500 whatever is asked, as Redis does after accepting 0..INT_MAX. */
    private long clamp(long v) {
        return name.equals("hz") ? Math.max(1, Math.min(500, v)) : v;
    }

    /**
     * A size as Redis reads it: only digits (none means 0) and an optional unit; digits beyond the
     * unsigned 64-bit range saturate and the product wraps, as Redis's unchecked conversion does.
     * The result is the unsigned value's bits.
     */
    static long memory(String value) throws Invalid {
        String s = value.toLowerCase(Locale.ROOT);
        long unit = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"},
                {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        if (s.length() >= 128) {
            throw new Invalid("argument must be a memory value");
        }
        long v = 0;
        boolean saturated = false;
        for (int i = 0; i < s.length(); i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw new Invalid("argument must be a memory value");
            }
            if (!saturated) {
                long next = v * 10 + d;
                // Unsigned overflow: the value stops at 2^64 - 1.
                if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                    saturated = true;
                    v = -1L;
                } else {
                    v = next;
                }
            }
        }
        return v * unit;
    }

    private static String save(String value) throws Invalid {
        if (value.isEmpty()) {
            return "";
        }
        String[] parts = value.split(" ", -1);
        if (parts.length % 2 != 0) {
            throw new Invalid("Invalid save parameters");
        }
        for (String p : parts) {
            byte[] b = p.getBytes(StandardCharsets.UTF_8);
            long n = Ascii.parseOr(b, 0, b.length, -1);
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new Invalid("Invalid save parameters");
            }
        }
        return value;
    }

    private static String addresses(String value) throws Invalid {
        for (String a : value.split(" ")) {
            String address = a.startsWith("-") ? a.substring(1) : a;
            if (!address.equals("*") && !address.equals("::*") && !isIpLiteral(address)) {
                throw new Invalid("Failed to bind to specified addresses.");
            }
        }
        return value;
    }

    /** An IPv4 or IPv6 literal, without a name lookup. */
    private static boolean isIpLiteral(String s) {
        if (s.isEmpty()) {
            return false;
        }
        if (s.indexOf(':') >= 0) {
            return s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        }
        String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(Character::isDigit) || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }
}
