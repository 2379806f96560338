package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;

import java.util.Random;

/**
 * Random string and bitmap writes for {@link LogRoundTripTest}: the commands whose logged form is
 * not simply themselves (INCRBYFLOAT, GETEX) and those that build strings piecewise (SETRANGE,
 * SETBIT, BITFIELD, BITOP), over the test's few keys so that they meet other types and expiries.
 */
final class StringWrites {
    private StringWrites() {
    }

    static Command random(Random r, String k, String other, String m, String n, long now) {
        String offset = Integer.toString(r.nextInt(24));
        return switch (r.nextInt(11)) {
            case 0 -> Command.of("SETRANGE", k, offset, r.nextBoolean() ? m : "");
            case 1 -> Command.of("SETBIT", k, offset, Integer.toString(r.nextInt(2)));
            case 2 -> Command.of("BITFIELD", k, "OVERFLOW", r.nextBoolean() ? "FAIL" : "SAT", "INCRBY", "i5", offset, n,
                "SET", "u3", "#" + r.nextInt(4), n);
            case 3 -> Command.of("BITOP", r.nextBoolean() ? "XOR" : "NOT", k, other);
            case 4 -> Command.of("BITOP", "OR", k, k, other);
            case 5 -> Command.of("INCRBYFLOAT", k, n + ".25");
            case 6 -> Command.of("GETEX", k, r.nextBoolean() ? "PX" : "EX", Integer.toString(1 + r.nextInt(3)));
            case 7 -> Command.of("GETEX", k, "PXAT", Long.toString(now + r.nextInt(400) - 100));
            case 8 -> Command.of("GETEX", k, "PERSIST");
            case 9 -> Command.of("SET", k, m, "GET", "KEEPTTL");
            default -> Command.of("INCRBYFLOAT", k, "1e" + r.nextInt(5));
        };
    }
}
