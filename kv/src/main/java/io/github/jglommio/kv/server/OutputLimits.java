package io.github.jglommio.kv.server;

import java.util.Locale;

/**
 * {@code client-output-buffer-limit}: per class of client, the hard limit (bytes of replies waiting
 * for the client; past it the client is closed at once), the soft limit and its seconds (a client
 * that stays past the soft limit that long is closed). 0 turns a limit off. Parsed and printed as
 * Redis 7.0 does: {@code CONFIG SET} takes groups of four, {@code class hard soft seconds}, changes
 * only the classes it names, and {@code CONFIG GET} prints all three classes in bytes, the replica
 * class under its old name {@code slave}.
 *
 * <p>This server's default for normal clients is {@link #DEFAULT}'s {@code 256mb 64mb 60}, not
 * Redis's unlimited {@code 0 0 0}: a client that sends requests without reading the replies then
 * costs at most about 256 MiB before it is closed, instead of all the memory there is. A single
 * reply larger than 256 MiB (a GET of such a value) closes the client too; raise the limit for
 * values that large. The replica class is kept and printed (there are no replicas); the pub/sub
 * class is Redis's {@code 32mb 8mb 60}.
 *
 * <p>Immutable; any thread.
 *
 * @param normal  the limits of ordinary clients
 * @param replica the limits of replicas (kept only)
 * @param pubsub  the limits of clients subscribed to a channel or pattern
 */
record OutputLimits(Limit normal, Limit replica, Limit pubsub) {

    /** This server's default; see the class comment. */
    static final String DEFAULT = "normal 268435456 67108864 60 slave 268435456 67108864 60"
            + " pubsub 33554432 8388608 60";

    private static final String WRONG_COUNT = "Wrong number of arguments in buffer limit configuration.";
    private static final String BAD_CLASS = "Invalid client class specified in buffer limit configuration.";
    private static final String BAD_VALUE = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";

    /**
     * One class's limits.
     *
     * @param hardBytes   past this many bytes waiting the client is closed; 0: no hard limit
     * @param softBytes   past this many for {@code softSeconds} the client is closed; 0: no soft limit
     * @param softSeconds how long a client may stay past the soft limit
     */
    record Limit(long hardBytes, long softBytes, int softSeconds) {

        /**
         * The first bytes of a client's replies that no limit counts: Redis counts only what does not
         * fit its 16 KiB per-client reply buffer, so a limit of a few bytes still lets small replies through.
         */
        static final int UNCOUNTED = 16 << 10;

        /** Whether {@code pending} bytes waiting pass the hard limit. */
        boolean overHard(long pending) {
            return hardBytes != 0 && pending > UNCOUNTED && Long.compareUnsigned(pending - UNCOUNTED, hardBytes) > 0;
        }

        /** Whether {@code pending} bytes waiting pass the soft limit. */
        boolean overSoft(long pending) {
            return softBytes != 0 && pending > UNCOUNTED && Long.compareUnsigned(pending - UNCOUNTED, softBytes) > 0;
        }

        /**
         * The most bytes a pipeline's replies may reach before the client is closed, for the shards
         * that run its commands to stop early; {@link Long#MAX_VALUE} when there is no hard limit.
         */
        long stopAt() {
            return hardBytes == 0 || hardBytes < 0 || hardBytes > Long.MAX_VALUE - UNCOUNTED ? Long.MAX_VALUE
                    : hardBytes + UNCOUNTED;
        }

        private String format() {
            return Long.toUnsignedString(hardBytes) + " " + Long.toUnsignedString(softBytes) + " " + softSeconds;
        }
    }

    /** The default limits. */
    static OutputLimits defaults() {
        try {
            return parse(DEFAULT, null);
        } catch (ConfigParam.Invalid e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Reads a value as CONFIG SET does: groups of {@code class hard soft seconds} separated by single
     * spaces, the classes {@code normal}, {@code replica} (or {@code slave}) and {@code pubsub} in any
     * case, sizes as Redis's memory values, seconds a decimal that must fit a non-negative int after
     * Redis's truncation to 32 bits; a class named twice takes its last group. The classes not named
     * keep their limits in {@code current} (the defaults when it is null).
     *
     * @throws ConfigParam.Invalid with Redis's reason
     */
    static OutputLimits parse(String value, OutputLimits current) throws ConfigParam.Invalid {
        Limit normal = current == null ? null : current.normal;
        Limit replica = current == null ? null : current.replica;
        Limit pubsub = current == null ? null : current.pubsub;
        String[] parts = value.split(" ", -1);
        if (value.isEmpty()) {
            parts = new String[0];
        }
        if (parts.length % 4 != 0) {
            throw new ConfigParam.Invalid(WRONG_COUNT);
        }
        for (int i = 0; i < parts.length; i += 4) {
            String cls = parts[i].toLowerCase(Locale.ROOT);
            if (!cls.equals("normal") && !cls.equals("replica") && !cls.equals("slave") && !cls.equals("pubsub")) {
                throw new ConfigParam.Invalid(BAD_CLASS);
            }
            Limit l;
            try {
                l = new Limit(ConfigParam.memory(parts[i + 1]), ConfigParam.memory(parts[i + 2]),
                        seconds(parts[i + 3]));
            } catch (ConfigParam.Invalid e) {
                throw new ConfigParam.Invalid(BAD_VALUE);
            }
            switch (cls) {
                case "normal" -> normal = l;
                case "pubsub" -> pubsub = l;
                default -> replica = l;
            }
        }
        if (normal == null || replica == null || pubsub == null) {
            OutputLimits d = defaults();
            normal = normal != null ? normal : d.normal;
            replica = replica != null ? replica : d.replica;
            pubsub = pubsub != null ? pubsub : d.pubsub;
        }
        return new OutputLimits(normal, replica, pubsub);
    }

    /** Seconds as Redis reads them: strtoll (optional sign, digits, nothing after), cast to an int, not negative. */
    private static int seconds(String s) throws ConfigParam.Invalid {
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        boolean saturated = false;
        for (; i < s.length(); i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw new ConfigParam.Invalid(BAD_VALUE);
            }
            if (!saturated) {
                if (v > (Long.MAX_VALUE - d) / 10) {
                    saturated = true; // strtoll stops at LLONG_MAX (LLONG_MIN when negative)
                    v = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
                } else {
                    v = v * 10 + d;
                }
            }
        }
        if (negative && !saturated) {
            v = -v;
        }
        int cast = (int) v;
        if (cast < 0) {
            throw new ConfigParam.Invalid(BAD_VALUE);
        }
        return cast;
    }

    /** The class whose limits apply to {@code c}: pubsub while it is subscribed, else normal. */
    Limit of(Connection c) {
        return c.subscribed() ? pubsub : normal;
    }

    /** As CONFIG GET prints it. */
    String format() {
        return "normal " + normal.format() + " slave " + replica.format() + " pubsub " + pubsub.format();
    }
}
