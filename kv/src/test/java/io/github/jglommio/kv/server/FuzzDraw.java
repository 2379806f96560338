package io.github.jglommio.kv.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The random draws of the differential fuzzer ({@link FuzzCommands}): keys, values, members,
 * numbers, ranges and expiry times, from one seeded {@link SplittableRandom}, so that a seed
 * always yields the same command sequence. Each draw is biased towards the values that hit
 * Redis's edge cases: integers that overflow, numbers that do not parse, empty strings, strings
 * long enough to change a collection's encoding. One test thread.
 *
 * <p>Expiry times are the one thing two servers cannot agree on to the millisecond: the same
 * relative {@code EXPIRE k 300} lands a few milliseconds apart on each. So every positive expiry
 * this class draws is a distinct multiple of 100 seconds, in the future, and absolute times are
 * taken from one clock reading per seed ({@link #FuzzDraw(long, long)}): two expiries of one
 * seed are then at least 100 s apart on both servers, and an {@code EXPIRE ... GT} compares them
 * the same way on both, however long the seed takes (well under 100 s).
 */
final class FuzzDraw {
    /** Keys per shard of the 3-shard server under test. */
    static final int KEYS_PER_SHARD = 4;
    /** The keys every command draws from: {@code 3 * KEYS_PER_SHARD}, ordered by shard. */
    static final List<String> KEYS = spreadKeys(3);
    /** A prefix no drawn key has: some SORT patterns name keys that never exist (see FuzzCommands). */
    static final String ABSENT_PREFIX = "nokey:";

    private static final String[] WORDS = {"a", "b", "c", "foo", "bar", "hello", "x y", "", "A", "zz"};
    private static final String[] INTS = {"0", "1", "2", "3", "5", "7", "10", "42", "100", "-1", "-3", "-100",
        "9223372036854775807", "-9223372036854775808"};
    private static final String[] BAD_INTS = {"abc", "1.5", "9223372036854775808", "", " 1", "1e3", "0x10", "--1"};
    private static final String[] FLOATS = {"0", "1.5", "-2.25", "3", "1e3", "inf", "-inf", "+inf", "0.1", "-0",
        "10.0", "5e-1"};
    private static final String[] BAD_FLOATS = {"nan", "abc", "1.2.3", "", "1e"};
    private static final String LONG_VALUE = "v".repeat(70);

    private final SplittableRandom random;
    private final long clockSeconds;
    private final Set<Long> expiriesUsed = new HashSet<>();
    private int home = -1;

    /**
     * @param seed the seed of this sequence
     * @param clockSeconds the Unix time at the start of the sequence, the base of absolute expiries
     */
    FuzzDraw(long seed, long clockSeconds) {
        this.random = new SplittableRandom(seed);
        this.clockSeconds = clockSeconds;
    }

    /** Twelve keys, four on each of 3 shards: names {@code k0...}, kept in shard order. */
    private static List<String> spreadKeys(int shards) {
        List<List<String>> byShard = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            byShard.add(new ArrayList<>());
        }
        for (int i = 0; byShard.stream().anyMatch(l -> l.size() < KEYS_PER_SHARD); i++) {
            String k = "k" + i;
            List<String> l = byShard.get(KeyHash.shardOf(k.getBytes(StandardCharsets.UTF_8), shards));
            if (l.size() < KEYS_PER_SHARD) {
                l.add(k);
            }
        }
        List<String> all = new ArrayList<>();
        byShard.forEach(all::addAll);
        return List.copyOf(all);
    }

    /** @return an int in [0, bound) */
    int below(int bound) {
        return random.nextInt(bound);
    }

    /** @return true once in {@code n} draws */
    boolean oneIn(int n) {
        return random.nextInt(n) == 0;
    }

    /** @return one of {@code options} */
    @SafeVarargs
    final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    /**
     * Makes {@link #key()} prefer the keys of one command family: key {@code home} of each shard
     * (and the next one), so that most commands meet a value of their own type and go past the
     * WRONGTYPE check, while a third of the draws still take any key.
     *
     * @param home the family's index among a shard's keys, below {@link #KEYS_PER_SHARD}; -1 for none
     */
    void prefer(int home) {
        this.home = home;
    }

    /** @return one of the twelve keys: two in three times one of the preferred family's */
    String key() {
        if (home < 0 || oneIn(3)) {
            return KEYS.get(random.nextInt(KEYS.size()));
        }
        int slot = (home + (oneIn(4) ? 1 : 0)) % KEYS_PER_SHARD;
        return KEYS.get(random.nextInt(3) * KEYS_PER_SHARD + slot);
    }

    /** @return a key on the same shard as {@code other}, or any key now and then */
    String keyNear(String other) {
        int shard = KEYS.indexOf(other) / KEYS_PER_SHARD;
        if (shard < 0 || oneIn(3)) {
            return key();
        }
        return KEYS.get(shard * KEYS_PER_SHARD + random.nextInt(KEYS_PER_SHARD));
    }

    /** @return {@code n} keys, possibly repeated, some on one shard and some spread */
    List<String> keys(int n) {
        List<String> out = new ArrayList<>();
        String first = key();
        out.add(first);
        boolean near = oneIn(2);
        while (out.size() < n) {
            out.add(near ? keyNear(first) : key());
        }
        return out;
    }

    /** @return a string value: a word, an integer, a float or now and then a long value */
    String value() {
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> pick(WORDS);
            case 4, 5, 6 -> pick(INTS);
            case 7 -> pick(FLOATS);
            case 8 -> Integer.toString(random.nextInt(-50, 1000));
            default -> oneIn(3) ? LONG_VALUE : "val" + random.nextInt(20);
        };
    }

    /** @return a member of a set, hash or sorted set: few distinct ones, so commands meet again */
    String member() {
        return switch (random.nextInt(12)) {
            case 0, 1, 2, 3, 4 -> pick("a", "b", "c", "d", "e", "f");
            case 5, 6, 7, 8 -> Integer.toString(random.nextInt(-2, 8));
            case 9 -> pick("", "m10", "hello", "-0", "01", " ");
            case 10 -> LONG_VALUE.substring(0, 60 + random.nextInt(10));
            default -> "m" + random.nextInt(40);
        };
    }

    /** @return an integer argument, now and then one that does not parse */
    String integer() {
        return oneIn(12) ? pick(BAD_INTS) : oneIn(3) ? pick(INTS) : Integer.toString(random.nextInt(-5, 12));
    }

    /** @return a small count: positive mostly, now and then zero, negative or bad */
    String count() {
        return oneIn(15) ? pick(BAD_INTS) : oneIn(10) ? pick("0", "-1", "-5", "9223372036854775807")
            : Integer.toString(1 + random.nextInt(6));
    }

    /** @return a list index or range end: mostly near 0, negative from the end, now and then huge */
    String index() {
        return oneIn(20) ? pick(BAD_INTS) : oneIn(15) ? pick(INTS) : Integer.toString(random.nextInt(-8, 9));
    }

    /** @return a float argument, now and then one that does not parse */
    String floating() {
        return oneIn(12) ? pick(BAD_FLOATS) : oneIn(2) ? pick(FLOATS) : Integer.toString(random.nextInt(-5, 12));
    }

    /** @return a score bound for ZRANGEBYSCORE and friends: inclusive, exclusive, infinite or bad */
    String scoreBound() {
        return switch (random.nextInt(8)) {
            case 0 -> pick("-inf", "+inf", "inf");
            case 1 -> "(" + random.nextInt(-3, 8);
            case 2 -> pick("abc", "(", "((1", "nan");
            default -> Integer.toString(random.nextInt(-3, 8));
        };
    }

    /** @return a lex bound for ZRANGEBYLEX and friends: [x, (x, - or +, or a bad one */
    String lexBound() {
        return switch (random.nextInt(8)) {
            case 0 -> pick("-", "+");
            case 1 -> "(" + member();
            case 2 -> pick("a", "", "x");
            default -> "[" + member();
        };
    }

    /** @return a glob for MATCH and KEYS */
    String pattern() {
        return pick("*", "k*", "k1*", "?", "k[0-4]*", "*1", "k?", "a*", "[a-c]", "*[^1]", "\\*", "m*", "nomatch");
    }

    /** @return a relative expiry in seconds: a distinct multiple of 100 s (see the class doc), or an edge */
    String seconds() {
        return oneIn(8) ? pick("0", "-1", "-100", "abc", "9223372036854775807", "9223372036854775", "1.5")
            : Long.toString(futureSeconds());
    }

    /** @return a relative expiry in milliseconds, as {@link #seconds()} */
    String millis() {
        return oneIn(8) ? pick("0", "-1", "abc", "9223372036854775807", "-9223372036854775808")
            : Long.toString(futureSeconds() * 1000);
    }

    /** @return an absolute expiry in Unix seconds: in the future, or now and then long past */
    String unixSeconds() {
        return oneIn(8) ? pick("1", "1000", "-5", "abc") : Long.toString(clockSeconds + futureSeconds());
    }

    /** @return an absolute expiry in Unix milliseconds, as {@link #unixSeconds()} */
    String unixMillis() {
        return oneIn(8) ? pick("1", "1000", "-5", "abc") : Long.toString((clockSeconds + futureSeconds()) * 1000);
    }

    /**
     * An absolute expiry for SET's EXAT and PXAT: never a past one that SET would accept, since
     * Redis 7.0 then keeps the key until its expiry cycle reaps it, and DBSIZE counts it until
     * then: a matter of timing.
     *
     * @param millis whether in Unix milliseconds (PXAT) rather than seconds
     * @return the time, or now and then one SET refuses
     */
    String unixFuture(boolean millis) {
        long t = clockSeconds + futureSeconds();
        return oneIn(10) ? pick("-5", "abc", "0") : Long.toString(millis ? t * 1000 : t);
    }

    private long futureSeconds() {
        long s;
        do {
            s = 100L * (1 + random.nextInt(1_000_000));
        } while (!expiriesUsed.add(s));
        return s;
    }

    /** @return a bit offset: mostly small, now and then out of range or bad */
    String bitOffset() {
        return oneIn(15) ? pick("-1", "abc", "4294967296", "1.5") : Integer.toString(random.nextInt(64));
    }

    /** @return a member list of {@code 1..max} members, now and then a long one that changes the encoding */
    List<String> members(int max) {
        int n = oneIn(40) ? 130 + random.nextInt(20) : 1 + random.nextInt(max);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(n > 100 ? "m" + i : member());
        }
        return out;
    }
}
