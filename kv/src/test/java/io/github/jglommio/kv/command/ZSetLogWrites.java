package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;

import java.util.Random;

/** Random sorted-set writes for the log round-trip tests, over the same few keys as theirs. */
final class ZSetLogWrites {
    private static final String[] KEYS = {"a", "b", "c", "d", "e"};
    private static final String[] MEMBERS = {"x", "y", "z", "w"};
    private static final String[] SCORES = {"1", "-2.5", "0.1", "-0", "inf", "-inf", "1e-3", "7"};

    private ZSetLogWrites() {
    }

    /** One random sorted-set write on {@code k}, sometimes reading or writing other keys too. */
    static Command random(Random r, String k) {
        String m = MEMBERS[r.nextInt(MEMBERS.length)];
        String m2 = MEMBERS[r.nextInt(MEMBERS.length)];
        String s = SCORES[r.nextInt(SCORES.length)];
        String k2 = KEYS[r.nextInt(KEYS.length)];
        String k3 = KEYS[r.nextInt(KEYS.length)];
        return switch (r.nextInt(16)) {
            case 0 -> Command.of("ZADD", k, r.nextBoolean() ? "GT" : "CH", s, m, "2", m2);
            case 1 -> Command.of("ZADD", k, "INCR", s, m);
            case 2 -> Command.of("ZINCRBY", k, s, m);
            case 3 -> Command.of("ZREM", k, m, m2);
            case 4 -> Command.of(r.nextBoolean() ? "ZPOPMIN" : "ZPOPMAX", k, Integer.toString(r.nextInt(3)));
            case 5 -> Command.of("ZMPOP", "2", k, k2, r.nextBoolean() ? "MIN" : "MAX", "COUNT", "2");
            case 6 -> Command.of("ZREMRANGEBYRANK", k, "0", Integer.toString(r.nextInt(3) - 1));
            case 7 -> Command.of("ZREMRANGEBYSCORE", k, "(0", s);
            case 8 -> Command.of("ZREMRANGEBYLEX", k, "[x", "+");
            case 9 -> Command.of("ZUNIONSTORE", k, "2", k2, k3, "WEIGHTS", s, "2", "AGGREGATE", "MAX");
            case 10 -> Command.of("ZINTERSTORE", k, "2", k2, k3);
            case 11 -> Command.of("ZDIFFSTORE", k, "2", k2, k3);
            case 12 -> Command.of("ZRANGESTORE", k, k2, "0", "1", "REV");
            case 13 -> Command.of("ZRANGESTORE", k, k2, "-inf", "(2", "BYSCORE");
            case 14 -> Command.of("ZADD", k, "XX", "LT", s, m);
            default -> Command.of("ZADD", k, s, m);
        };
    }
}
