package io.github.jglommio.kv.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The command generators of the differential fuzzer ({@link DifferentialFuzzTest}): for each
 * command, a function from the seeded draws ({@link FuzzDraw}) to one argument list (the name
 * excluded; {@code null} to decline this turn, for the commands drawn rarely such as FLUSHALL),
 * and how its replies compare ({@link FuzzCheck}). To fuzz a new command, add one
 * line to the family's method below; {@link FuzzCommandsTest} fails until every command of
 * {@code CommandTable} is either here or in {@link #LEFT_OUT} with its reason.
 *
 * <p>Arguments are drawn to hit errors as well as successes: wrong types come from the small
 * shared key set, bad numbers and out-of-range values from {@link FuzzDraw}, syntax errors from
 * unknown or conflicting options drawn now and then; the runner adds wrong arities. Keys are
 * always {@link FuzzDraw#KEYS}, so multi-key commands meet keys on one shard and on several.
 *
 * <p>Left out, and why:
 * <ul>
 * <li>MULTI, EXEC, DISCARD, WATCH, UNWATCH: not single commands; the runner draws whole
 *     transaction sequences ({@link DifferentialFuzzTest}).</li>
 * <li>OBJECT REFCOUNT, IDLETIME and FREQ of a key: IDLETIME and FREQ depend on time and policy;
 *     REFCOUNT on Redis's internals beyond the value (a string a queued command still holds
 *     counts twice inside MULTI), which {@code ObjectDifferentialTest} checks where it is defined.
 *     OBJECT ENCODING of a key, HELP and OBJECT's errors are fuzzed.</li>
 * <li>COPY ... DB, SELECT, MOVE, SWAPDB, HELLO: databases and RESP3, features of their own with
 *     their own differential tests ({@code DatabasesDifferentialTest}, the {@code *Resp3Test}s).</li>
 * <li>The pub/sub commands: their frames arrive without a request, on other connections
 *     ({@code PubSubDifferentialTest} draws its own random sequences).</li>
 * <li>The blocking pops (BLPOP ... BZMPOP): a blocked client waits for another one's push, which a
 *     one-connection sequence cannot draw ({@code BlockingDifferentialTest}).</li>
 * <li>SORT and SORT_RO: ALPHA with a BY pattern and BY nosort with LIMIT are not drawn: Redis
 *     leaves the order of equal elements to its unstable quicksort there. (Patterns are drawn:
 *     {@code k*} names the drawn keys, on every shard, for the elements 0 to 7.)</li>
 * <li>Lex ranges (ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX, BYLEX...) on a sorted set whose scores
 *     differ: Redis leaves their result unspecified; the runner sends them only when the key's
 *     scores are all equal or it is not a sorted set.</li>
 * <li>SET ... EXAT/PXAT with a past time: Redis 7.0 keeps such a key until its expiry cycle
 *     reaps it, and DBSIZE counts it until then; EXPIREAT, PEXPIREAT and GETEX, which delete at
 *     once, do get past times.</li>
 * <li>SETRANGE and SETBIT with offsets that succeed far out (512 MB strings): too big to fuzz.</li>
 * <li>The server and connection commands: QUIT, AUTH, INFO, CONFIG, CLIENT, COMMAND, BGREWRITEAOF,
 *     BGSAVE, SAVE, LASTSAVE, SHUTDOWN, TIME, WAIT, ROLE, MONITOR, SLOWLOG, LATENCY, DEBUG, LOLWUT,
 *     RESET: they report on or change the server or the connection rather than the keyspace,
 *     their replies hold times, ids, ports or versions, and each has its own differential test.</li>
 * </ul>
 */
final class FuzzCommands {
    /** Commands of {@code CommandTable} this class does not generate, by lower-case name. */
    static final Set<String> LEFT_OUT = Set.of("multi", "exec", "discard", "watch", "unwatch", "select", "hello",
        "quit", "auth", "info", "config", "client", "command", "bgrewriteaof", "bgsave", "save", "lastsave",
        "shutdown", "time", "wait", "role", "monitor", "slowlog", "latency", "debug", "lolwut", "reset",
        "move", "swapdb",
        "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe", "publish",
        "spublish", "pubsub",
        "blpop", "brpop", "brpoplpush", "blmove", "blmpop", "bzpopmin", "bzpopmax", "bzmpop",
        // Scripting: the fuzzer's random arguments are no Lua; ScriptingDifferentialTest compares scripts.
        "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "script", "function");

    /**
     * One command's generator and how its replies compare.
     *
     * @param name the lower-case command name
     * @param check how its replies compare
     * @param home the family's preferred keys, for {@link FuzzDraw#prefer(int)}
     * @param args the argument lists' generator
     */
    record Gen(String name, FuzzCheck check, int home, Function<FuzzDraw, List<String>> args) {
        /** Draws one argument list, preferring this family's keys. */
        List<String> draw(FuzzDraw d) {
            d.prefer(home);
            return args.apply(d);
        }
    }

    /** The family being registered: strings 0, lists 1, sets and sorted sets 2, hashes 3, the generic commands -1. */
    private static int home;

    private static final Map<String, Gen> ALL = new LinkedHashMap<>();

    static {
        strings();
        bits();
        keys();
        lists();
        sets();
        hashes();
        zsets();
        add("ping", FuzzCheck.EXACT, d -> d.oneIn(2) ? args() : args(d.value()));
        add("echo", FuzzCheck.EXACT, d -> args(d.value()));
    }

    private FuzzCommands() {
    }

    /** @return every generator, by lower-case command name, in a fixed order */
    static Map<String, Gen> all() {
        return Collections.unmodifiableMap(ALL);
    }

    private static void add(String name, FuzzCheck check, Function<FuzzDraw, List<String>> args) {
        ALL.put(name, new Gen(name, check, home, args));
    }

    private static void add(String name, Function<FuzzDraw, List<String>> args) {
        add(name, FuzzCheck.EXACT, args);
    }

    private static List<String> args(String... a) {
        return new ArrayList<>(List.of(a));
    }

    private static void strings() {
        home = 0;
        add("get", d -> args(d.key()));
        add("set", d -> {
            List<String> a = args(d.key(), d.value());
            if (d.oneIn(3)) {
                a.add(d.pick("NX", "XX", "nx"));
            }
            if (d.oneIn(4)) {
                a.add("GET");
            }
            if (d.oneIn(2)) {
                expiry(d, a, true);
            }
            if (d.oneIn(25)) {
                a.add(d.pick("NX", "EX", "FOO", "KEEPTTL"));
            }
            return a;
        });
        add("setnx", d -> args(d.key(), d.value()));
        add("setex", d -> args(d.key(), d.seconds(), d.value()));
        add("psetex", d -> args(d.key(), d.millis(), d.value()));
        add("getset", d -> args(d.key(), d.value()));
        add("getdel", d -> args(d.key()));
        add("getex", d -> {
            List<String> a = args(d.key());
            if (d.oneIn(4)) {
                a.add("PERSIST");
            } else if (d.oneIn(2)) {
                expiry(d, a, false);
            }
            if (d.oneIn(20)) {
                a.add(d.pick("PERSIST", "EX", "KEEPTTL"));
            }
            return a;
        });
        add("append", d -> args(d.key(), d.value()));
        add("strlen", d -> args(d.key()));
        add("getrange", d -> args(d.key(), d.index(), d.index()));
        add("substr", d -> args(d.key(), d.index(), d.index()));
        add("setrange", d -> args(d.key(), d.oneIn(8) ? d.pick("-1", "abc", "536870912") : "" + d.below(20),
            d.value()));
        add("mget", d -> d.keys(1 + d.below(4)));
        add("mset", d -> pairs(d, d.keys(1 + d.below(4)), false));
        add("msetnx", d -> pairs(d, d.keys(1 + d.below(3)), false));
        add("lcs", d -> {
            List<String> a = args(d.key(), d.key());
            if (d.oneIn(3)) {
                a.add("LEN");
            }
            if (d.oneIn(3)) {
                a.add("IDX");
            }
            if (d.oneIn(4)) {
                a.addAll(List.of("MINMATCHLEN", d.integer()));
            }
            if (d.oneIn(4)) {
                a.add("WITHMATCHLEN");
            }
            if (d.oneIn(30)) {
                a.add("BOGUS");
            }
            return a;
        });
        add("incr", d -> args(d.key()));
        add("decr", d -> args(d.key()));
        add("incrby", d -> args(d.key(), d.integer()));
        add("decrby", d -> args(d.key(), d.integer()));
        add("incrbyfloat", d -> args(d.key(), d.floating()));
    }

    /** Appends one expiry option: EX, PX, EXAT, PXAT, or for SET also KEEPTTL (and no past EXAT/PXAT). */
    private static void expiry(FuzzDraw d, List<String> a, boolean keepTtl) {
        switch (d.below(keepTtl ? 5 : 4)) {
            case 0 -> a.addAll(List.of("EX", d.seconds()));
            case 1 -> a.addAll(List.of("PX", d.millis()));
            case 2 -> a.addAll(List.of("EXAT", keepTtl ? d.unixFuture(false) : d.unixSeconds()));
            case 3 -> a.addAll(List.of("PXAT", keepTtl ? d.unixFuture(true) : d.unixMillis()));
            default -> a.add("KEEPTTL");
        }
    }

    /** Each key followed by a value (hash fields: a member), now and then one value short. */
    private static List<String> pairs(FuzzDraw d, List<String> keys, boolean fields) {
        List<String> a = new ArrayList<>();
        for (String k : keys) {
            a.add(k);
            a.add(fields ? d.member() : d.value());
        }
        if (d.oneIn(30)) {
            a.removeLast();
        }
        return a;
    }

    private static void bits() {
        home = 0;
        add("setbit", d -> args(d.key(), d.bitOffset(), d.oneIn(10) ? d.pick("2", "-1", "a") : d.pick("0", "1")));
        add("getbit", d -> args(d.key(), d.bitOffset()));
        add("bitcount", d -> {
            List<String> a = args(d.key());
            if (d.oneIn(2)) {
                a.addAll(List.of(d.index(), d.index()));
                if (d.oneIn(2)) {
                    a.add(d.pick("BYTE", "BIT", "bit", "WORD"));
                }
            }
            return a;
        });
        add("bitpos", d -> {
            List<String> a = args(d.key(), d.oneIn(10) ? "2" : d.pick("0", "1"));
            if (d.oneIn(2)) {
                a.add(d.index());
                if (d.oneIn(2)) {
                    a.add(d.index());
                    if (d.oneIn(2)) {
                        a.add(d.pick("BYTE", "BIT", "WORD"));
                    }
                }
            }
            return a;
        });
        add("bitop", d -> {
            String op = d.pick("AND", "OR", "XOR", "NOT", "not", "NAND");
            List<String> a = args(op, d.key());
            a.addAll(d.keys(op.equalsIgnoreCase("not") && !d.oneIn(5) ? 1 : 1 + d.below(3)));
            return a;
        });
        add("bitfield", d -> bitfield(d, false));
        add("bitfield_ro", d -> bitfield(d, true));
    }

    private static List<String> bitfield(FuzzDraw d, boolean readOnly) {
        List<String> a = args(d.key());
        int n = d.below(4);
        for (int i = 0; i < n; i++) {
            String type = d.oneIn(12) ? d.pick("u64", "i65", "x8", "i0") : d.pick("i", "u") + (1 + d.below(16));
            String offset = d.oneIn(3) ? "#" + d.below(4) : d.oneIn(15) ? d.pick("-1", "abc") : "" + d.below(40);
            switch (readOnly && !d.oneIn(10) ? 0 : d.below(4)) {
                case 0 -> a.addAll(List.of("GET", type, offset));
                case 1 -> a.addAll(List.of("SET", type, offset, d.integer()));
                case 2 -> a.addAll(List.of("INCRBY", type, offset, d.integer()));
                default -> a.addAll(List.of("OVERFLOW", d.pick("WRAP", "SAT", "FAIL", "BAD")));
            }
        }
        return a;
    }

    private static void keys() {
        home = -1; // the generic commands take any key
        add("del", d -> d.keys(1 + d.below(3)));
        add("unlink", d -> d.keys(1 + d.below(3)));
        add("exists", d -> d.keys(1 + d.below(4)));
        add("touch", d -> d.keys(1 + d.below(3)));
        add("expire", d -> expireArgs(d, d.seconds()));
        add("pexpire", d -> expireArgs(d, d.millis()));
        add("expireat", d -> expireArgs(d, d.unixSeconds()));
        add("pexpireat", d -> expireArgs(d, d.unixMillis()));
        add("ttl", FuzzCheck.SECONDS, d -> args(d.key()));
        add("pttl", FuzzCheck.MILLIS, d -> args(d.key()));
        add("expiretime", FuzzCheck.SECONDS, d -> args(d.key()));
        add("pexpiretime", FuzzCheck.MILLIS, d -> args(d.key()));
        add("persist", d -> args(d.key()));
        add("type", d -> args(d.key()));
        add("rename", d -> args(d.key(), d.key()));
        add("renamenx", d -> args(d.key(), d.key()));
        add("copy", d -> {
            List<String> a = args(d.key(), d.key());
            if (d.oneIn(2)) {
                a.add("REPLACE");
            }
            if (d.oneIn(30)) {
                a.add("BOGUS");
            }
            return a;
        });
        add("dbsize", d -> args());
        add("flushall", d -> d.oneIn(200) ? args(d.pick("ASYNC", "SYNC", "BAD")) : null);
        add("flushdb", d -> d.oneIn(200) ? args(d.pick("ASYNC", "SYNC", "BAD")) : null);
        add("keys", FuzzCheck.UNORDERED, d -> args(d.pattern()));
        add("scan", FuzzCheck.SCAN, d -> scanArgs(d, args(scanCursor(d)), true));
        add("randomkey", FuzzCheck.RANDOM, d -> args());
        add("sort", FuzzCheck.SORT, d -> sortArgs(d, true));
        add("sort_ro", FuzzCheck.SORT, d -> sortArgs(d, false));
        add("object", d -> switch (d.below(6)) {
            case 0 -> args("HELP");
            case 1 -> args("REFCOUNT");
            case 2 -> args("NOSUCH", d.key());
            case 3, 4 -> args("ENCODING", d.key());
            default -> args(d.pick("ENCODING", "REFCOUNT", "HELP"), d.key(), d.key());
        });
    }

    private static List<String> expireArgs(FuzzDraw d, String time) {
        List<String> a = args(d.key(), time);
        if (d.oneIn(2)) {
            a.add(d.pick("NX", "XX", "GT", "LT", "gt"));
            if (d.oneIn(8)) {
                a.add(d.pick("NX", "XX", "GT", "LT", "BAD"));
            }
        }
        return a;
    }

    private static String scanCursor(FuzzDraw d) {
        // Only cursor 0 and invalid ones: what a cursor names is each server's own business.
        return d.oneIn(30) ? d.pick("abc", " 5", "5x", "18446744073709551616", "", "+0") : "0";
    }

    /** MATCH, COUNT and (for SCAN) TYPE options after {@code a}. */
    private static List<String> scanArgs(FuzzDraw d, List<String> a, boolean type) {
        if (d.oneIn(2)) {
            a.addAll(List.of("MATCH", d.oneIn(2) ? d.pattern() : d.pick("a*", "m*", "[a-c]", "*1*")));
        }
        if (d.oneIn(2)) {
            a.addAll(List.of("COUNT", d.oneIn(10) ? d.pick("0", "-1", "abc") : "" + (1 + d.below(20))));
        }
        if (type && d.oneIn(3)) {
            a.addAll(List.of("TYPE", d.pick("string", "list", "set", "zset", "hash", "stream", "nosuch")));
        }
        if (d.oneIn(40)) {
            a.add(d.pick("BOGUS", "MATCH"));
        }
        return a;
    }

    private static List<String> sortArgs(FuzzDraw d, boolean store) {
        List<String> a = args(d.key());
        boolean alpha = d.oneIn(3);
        boolean noSort = false;
        if (d.oneIn(3)) {
            noSort = alpha || d.oneIn(2);
            a.addAll(List.of("BY", noSort ? "nosort" : d.pick(FuzzDraw.ABSENT_PREFIX + "*", "k*", "k*->f")));
        }
        if (!noSort && d.oneIn(3)) {
            a.addAll(List.of("LIMIT", d.index(), d.index()));
        }
        for (int n = d.oneIn(2) ? 0 : 1 + d.below(2); n > 0; n--) {
            a.addAll(List.of("GET", d.pick("#", FuzzDraw.ABSENT_PREFIX + "*", FuzzDraw.ABSENT_PREFIX + "*->f", "k*",
                    "k*->f")));
        }
        if (d.oneIn(2)) {
            a.add(d.pick("ASC", "DESC", "desc"));
        }
        if (alpha) {
            a.add("ALPHA");
        }
        if (store && d.oneIn(3)) {
            a.addAll(List.of("STORE", d.keyNear(a.getFirst())));
        }
        if (d.oneIn(30)) {
            a.add(d.pick("BOGUS", "LIMIT", "STORE"));
        }
        return a;
    }

    private static void lists() {
        home = 1;
        add("lpush", d -> withMembers(d, args(d.key()), 4));
        add("rpush", d -> withMembers(d, args(d.key()), 4));
        add("lpushx", d -> withMembers(d, args(d.key()), 3));
        add("rpushx", d -> withMembers(d, args(d.key()), 3));
        add("llen", d -> args(d.key()));
        add("lrange", d -> args(d.key(), d.index(), d.index()));
        add("lindex", d -> args(d.key(), d.index()));
        add("lset", d -> args(d.key(), d.index(), d.member()));
        add("linsert", d -> args(d.key(), d.pick("BEFORE", "AFTER", "after", "MIDDLE"), d.member(), d.member()));
        add("lrem", d -> args(d.key(), d.index(), d.member()));
        add("ltrim", d -> args(d.key(), d.index(), d.index()));
        add("lpos", d -> {
            List<String> a = args(d.key(), d.member());
            if (d.oneIn(3)) {
                a.addAll(List.of("RANK", d.oneIn(10) ? d.pick("0", "abc", "-9223372036854775808") : d.index()));
            }
            if (d.oneIn(3)) {
                a.addAll(List.of("COUNT", d.oneIn(10) ? "-1" : "" + d.below(4)));
            }
            if (d.oneIn(4)) {
                a.addAll(List.of("MAXLEN", d.oneIn(10) ? "-1" : "" + d.below(6)));
            }
            if (d.oneIn(30)) {
                a.add("BOGUS");
            }
            return a;
        });
        add("lpop", d -> d.oneIn(2) ? args(d.key()) : args(d.key(), d.count()));
        add("rpop", d -> d.oneIn(2) ? args(d.key()) : args(d.key(), d.count()));
        add("rpoplpush", d -> args(d.key(), d.key()));
        add("lmove", d -> args(d.key(), d.key(), side(d), side(d)));
        add("lmpop", d -> mpop(d, "LEFT", "RIGHT"));
    }

    private static String side(FuzzDraw d) {
        return d.oneIn(20) ? "UP" : d.pick("LEFT", "RIGHT", "left");
    }

    /** LMPOP and ZMPOP: {@code numkeys key... where [COUNT n]}, numkeys now and then wrong. */
    private static List<String> mpop(FuzzDraw d, String first, String second) {
        List<String> keys = d.keys(1 + d.below(3));
        List<String> a = args(d.oneIn(15) ? d.pick("0", "-1", "abc", "5") : "" + keys.size());
        a.addAll(keys);
        a.add(d.oneIn(20) ? "MIDDLE" : d.pick(first, second));
        if (d.oneIn(2)) {
            a.addAll(List.of("COUNT", d.count()));
        }
        return a;
    }

    private static List<String> withMembers(FuzzDraw d, List<String> a, int max) {
        a.addAll(d.members(max));
        return a;
    }

    private static void sets() {
        home = 2;
        add("sadd", d -> withMembers(d, args(d.key()), 4));
        add("srem", d -> withMembers(d, args(d.key()), 3));
        add("smembers", FuzzCheck.UNORDERED, d -> args(d.key()));
        add("sismember", d -> args(d.key(), d.member()));
        add("smismember", d -> withMembers(d, args(d.key()), 3));
        add("scard", d -> args(d.key()));
        add("spop", FuzzCheck.RANDOM_WRITE, d -> d.oneIn(2) ? args(d.key()) : args(d.key(), d.count()));
        add("srandmember", FuzzCheck.RANDOM, d -> d.oneIn(3) ? args(d.key()) : args(d.key(), d.index()));
        add("sscan", FuzzCheck.SCAN, d -> scanArgs(d, args(d.key(), scanCursor(d)), false));
        add("smove", d -> args(d.key(), d.key(), d.member()));
        add("sinter", FuzzCheck.UNORDERED, d -> d.keys(1 + d.below(3)));
        add("sunion", FuzzCheck.UNORDERED, d -> d.keys(1 + d.below(3)));
        add("sdiff", FuzzCheck.UNORDERED, d -> d.keys(1 + d.below(3)));
        add("sinterstore", d -> d.keys(2 + d.below(3)));
        add("sunionstore", d -> d.keys(2 + d.below(3)));
        add("sdiffstore", d -> d.keys(2 + d.below(3)));
        add("sintercard", d -> {
            List<String> keys = d.keys(1 + d.below(3));
            List<String> a = args(d.oneIn(15) ? d.pick("0", "-1", "abc", "5") : "" + keys.size());
            a.addAll(keys);
            if (d.oneIn(3)) {
                a.addAll(List.of("LIMIT", d.oneIn(10) ? d.pick("-1", "abc") : "" + d.below(4)));
            }
            return a;
        });
    }

    private static void hashes() {
        home = 3;
        add("hset", d -> fieldValues(d, args(d.key())));
        add("hmset", d -> fieldValues(d, args(d.key())));
        add("hsetnx", d -> args(d.key(), d.member(), d.value()));
        add("hget", d -> args(d.key(), d.member()));
        add("hmget", d -> withMembers(d, args(d.key()), 3));
        add("hgetall", FuzzCheck.PAIRS, d -> args(d.key()));
        add("hkeys", FuzzCheck.UNORDERED, d -> args(d.key()));
        add("hvals", FuzzCheck.UNORDERED, d -> args(d.key()));
        add("hdel", d -> withMembers(d, args(d.key()), 3));
        add("hlen", d -> args(d.key()));
        add("hexists", d -> args(d.key(), d.member()));
        add("hstrlen", d -> args(d.key(), d.member()));
        add("hincrby", d -> args(d.key(), d.member(), d.integer()));
        add("hincrbyfloat", d -> args(d.key(), d.member(), d.floating()));
        add("hrandfield", FuzzCheck.RANDOM, d -> switch (d.below(3)) {
            case 0 -> args(d.key());
            case 1 -> args(d.key(), d.index());
            default -> args(d.key(), d.index(), d.oneIn(10) ? "BOGUS" : "WITHVALUES");
        });
        add("hscan", FuzzCheck.SCAN, d -> scanArgs(d, args(d.key(), scanCursor(d)), false));
    }

    private static List<String> fieldValues(FuzzDraw d, List<String> a) {
        int n = d.oneIn(40) ? 70 : 1 + d.below(3);
        for (int i = 0; i < n; i++) {
            a.add(n > 3 ? "f" + i : d.member());
            a.add(d.value());
        }
        if (d.oneIn(30)) {
            a.removeLast();
        }
        return a;
    }

    private static void zsets() {
        home = 2;
        add("zadd", d -> {
            List<String> a = args(d.key());
            if (d.oneIn(4)) {
                a.add(d.pick("NX", "XX"));
            }
            if (d.oneIn(4)) {
                a.add(d.pick("GT", "LT"));
            }
            if (d.oneIn(4)) {
                a.add("CH");
            }
            boolean incr = d.oneIn(6);
            if (incr) {
                a.add("INCR");
            }
            int n = incr && !d.oneIn(5) ? 1 : d.oneIn(40) ? 140 : 1 + d.below(3);
            boolean lex = d.oneIn(2); // score 0 throughout: the sets that lex ranges are defined on
            for (int i = 0; i < n; i++) {
                a.add(lex ? "0" : n > 3 ? "" + i : d.floating());
                a.add(n > 3 ? "z" + i : d.member());
            }
            if (d.oneIn(30)) {
                a.removeLast();
            }
            return a;
        });
        add("zincrby", d -> args(d.key(), d.floating(), d.member()));
        add("zcard", d -> args(d.key()));
        add("zscore", d -> args(d.key(), d.member()));
        add("zmscore", d -> withMembers(d, args(d.key()), 3));
        add("zrank", d -> args(d.key(), d.member()));
        add("zrevrank", d -> args(d.key(), d.member()));
        add("zrem", d -> withMembers(d, args(d.key()), 3));
        add("zpopmin", d -> d.oneIn(2) ? args(d.key()) : args(d.key(), d.count()));
        add("zpopmax", d -> d.oneIn(2) ? args(d.key()) : args(d.key(), d.count()));
        add("zmpop", d -> mpop(d, "MIN", "MAX"));
        add("zrandmember", FuzzCheck.RANDOM, d -> switch (d.below(3)) {
            case 0 -> args(d.key());
            case 1 -> args(d.key(), d.index());
            default -> args(d.key(), d.index(), d.oneIn(10) ? "BOGUS" : "WITHSCORES");
        });
        add("zscan", FuzzCheck.SCAN, d -> scanArgs(d, args(d.key(), scanCursor(d)), false));
        add("zrange", d -> zrange(d, args(d.key()), true));
        add("zrangestore", d -> zrange(d, args(d.key(), d.key()), false));
        add("zrevrange", d -> withScores(d, args(d.key(), d.index(), d.index())));
        add("zrangebyscore", d -> limit(d, withScores(d, args(d.key(), d.scoreBound(), d.scoreBound()))));
        add("zrevrangebyscore", d -> limit(d, withScores(d, args(d.key(), d.scoreBound(), d.scoreBound()))));
        add("zrangebylex", d -> limit(d, args(d.key(), d.lexBound(), d.lexBound())));
        add("zrevrangebylex", d -> limit(d, args(d.key(), d.lexBound(), d.lexBound())));
        add("zcount", d -> args(d.key(), d.scoreBound(), d.scoreBound()));
        add("zlexcount", d -> args(d.key(), d.lexBound(), d.lexBound()));
        add("zremrangebyrank", d -> args(d.key(), d.index(), d.index()));
        add("zremrangebyscore", d -> args(d.key(), d.scoreBound(), d.scoreBound()));
        add("zremrangebylex", d -> args(d.key(), d.lexBound(), d.lexBound()));
        add("zunion", d -> withScores(d, zcombine(d, args(), true)));
        add("zinter", d -> withScores(d, zcombine(d, args(), true)));
        add("zdiff", d -> withScores(d, zcombine(d, args(), false)));
        add("zunionstore", d -> zcombine(d, args(d.key()), true));
        add("zinterstore", d -> zcombine(d, args(d.key()), true));
        add("zdiffstore", d -> zcombine(d, args(d.key()), false));
        add("zintercard", d -> {
            List<String> a = zcombine(d, args(), false);
            if (d.oneIn(3)) {
                a.addAll(List.of("LIMIT", d.oneIn(10) ? d.pick("-1", "abc") : "" + d.below(4)));
            }
            return a;
        });
    }

    /** ZRANGE's and ZRANGESTORE's {@code min max [BYSCORE|BYLEX] [REV] [LIMIT o c] [WITHSCORES]}. */
    private static List<String> zrange(FuzzDraw d, List<String> a, boolean scores) {
        int by = d.below(3);
        if (by == 0) {
            a.addAll(List.of(d.index(), d.index()));
        } else if (by == 1) {
            a.addAll(List.of(d.scoreBound(), d.scoreBound(), "BYSCORE"));
        } else {
            a.addAll(List.of(d.lexBound(), d.lexBound(), "BYLEX"));
        }
        if (d.oneIn(3)) {
            a.add("REV");
        }
        if (d.oneIn(by == 0 ? 10 : 3)) {
            a.addAll(List.of("LIMIT", d.index(), d.index()));
        }
        return scores ? withScores(d, a) : a;
    }

    private static List<String> withScores(FuzzDraw d, List<String> a) {
        if (d.oneIn(2)) {
            a.add(d.oneIn(20) ? "WITHSCORE" : "WITHSCORES");
        }
        return a;
    }

    private static List<String> limit(FuzzDraw d, List<String> a) {
        if (d.oneIn(3)) {
            a.addAll(List.of("LIMIT", d.index(), d.index()));
        }
        return a;
    }

    /** {@code numkeys key... [WEIGHTS w...] [AGGREGATE SUM|MIN|MAX]} after {@code a}. */
    private static List<String> zcombine(FuzzDraw d, List<String> a, boolean weights) {
        List<String> keys = d.keys(1 + d.below(3));
        a.add(d.oneIn(15) ? d.pick("0", "-1", "abc", "5") : "" + keys.size());
        a.addAll(keys);
        if (weights && d.oneIn(3)) {
            a.add("WEIGHTS");
            for (int i = 0; i < keys.size() - (d.oneIn(15) ? 1 : 0); i++) {
                a.add(d.floating());
            }
        }
        if (weights && d.oneIn(3)) {
            a.addAll(List.of("AGGREGATE", d.pick("SUM", "MIN", "MAX", "max", "AVG")));
        }
        if (d.oneIn(30)) {
            a.add("BOGUS");
        }
        return a;
    }
}
