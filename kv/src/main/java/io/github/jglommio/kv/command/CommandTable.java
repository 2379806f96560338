package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every command the server knows, found by name case-insensitively without allocating. Immutable
 * and shared by all executors.
 */
public final class CommandTable {
    private static final List<CommandSpec> ALL;
    // Open addressing over a hash of the lower-cased name; sized for a load factor below 1/4.
    private static final CommandSpec[] TABLE = new CommandSpec[512];

    static {
        List<CommandSpec> s = new ArrayList<>();
        // Strings.
        key(s, "get", 2, "readonly fast");
        key(s, "set", -3, "write denyoom");
        key(s, "setnx", 3, "write denyoom fast");
        key(s, "setex", 4, "write denyoom");
        key(s, "psetex", 4, "write denyoom");
        key(s, "getset", 3, "write denyoom fast");
        key(s, "getdel", 2, "write fast");
        key(s, "append", 3, "write denyoom fast");
        key(s, "strlen", 2, "readonly fast");
        key(s, "incr", 2, "write denyoom fast");
        key(s, "decr", 2, "write denyoom fast");
        key(s, "incrby", 3, "write denyoom fast");
        key(s, "decrby", 3, "write denyoom fast");
        multi(s, "mget", -2, "readonly fast", 1, Routing.KEYS_ARRAY);
        multi(s, "mset", -3, "write denyoom", 2, Routing.KEYS_OK);
        multi(s, "msetnx", -3, "write denyoom", 2, Routing.KEYS_MSETNX);
        // Generic key commands.
        multi(s, "del", -2, "write", 1, Routing.KEYS_SUM);
        multi(s, "unlink", -2, "write fast", 1, Routing.KEYS_SUM);
        multi(s, "exists", -2, "readonly fast", 1, Routing.KEYS_SUM);
        key(s, "expire", -3, "write fast");
        key(s, "pexpire", -3, "write fast");
        key(s, "expireat", -3, "write fast");
        key(s, "pexpireat", -3, "write fast");
        key(s, "ttl", 2, "readonly fast");
        key(s, "pttl", 2, "readonly fast");
        key(s, "persist", 2, "write fast");
        key(s, "type", 2, "readonly fast");
        all(s, "dbsize", 1, "readonly fast", Routing.ALL_SUM);
        all(s, "flushall", -1, "write", Routing.ALL_OK);
        all(s, "flushdb", -1, "write", Routing.ALL_OK);
        all(s, "keys", 2, "readonly", Routing.ALL_ARRAY);
        all(s, "scan", -2, "readonly", Routing.ALL_SCAN);
        all(s, "randomkey", 1, "readonly", Routing.ALL_RANDOM);
        // Lists.
        key(s, "lpush", -3, "write denyoom fast");
        key(s, "rpush", -3, "write denyoom fast");
        key(s, "lpop", -2, "write fast");
        key(s, "rpop", -2, "write fast");
        key(s, "llen", 2, "readonly fast");
        key(s, "lrange", 4, "readonly");
        key(s, "lindex", 3, "readonly");
        // Sets.
        key(s, "sadd", -3, "write denyoom fast");
        key(s, "srem", -3, "write fast");
        key(s, "smembers", 2, "readonly");
        key(s, "sismember", 3, "readonly fast");
        key(s, "scard", 2, "readonly fast");
        key(s, "spop", -2, "write fast");
        // Hashes.
        key(s, "hset", -4, "write denyoom fast");
        key(s, "hmset", -4, "write denyoom fast");
        key(s, "hget", 3, "readonly fast");
        key(s, "hgetall", 2, "readonly");
        key(s, "hdel", -3, "write fast");
        key(s, "hlen", 2, "readonly fast");
        key(s, "hincrby", 4, "write denyoom fast");
        // Sorted sets.
        key(s, "zadd", -4, "write denyoom fast");
        key(s, "zrange", -4, "readonly");
        key(s, "zscore", 3, "readonly fast");
        key(s, "zcard", 2, "readonly fast");
        key(s, "zrem", -3, "write fast");
        key(s, "zincrby", 4, "write denyoom fast");
        // Answered by the server.
        server(s, "ping", -1, "fast");
        server(s, "echo", 2, "fast");
        server(s, "quit", -1, "noscript loading stale fast no_auth allow_busy");
        server(s, "auth", -2, "noscript loading stale fast no_auth allow_busy");
        server(s, "select", 2, "loading stale fast");
        server(s, "info", -1, "loading stale");
        server(s, "config", -2, "");
        server(s, "client", -2, "");
        server(s, "command", -1, "loading stale");
        server(s, "hello", -1, "noscript loading stale fast no_auth allow_busy");
        server(s, "bgrewriteaof", 1, "admin noscript no_async_loading");
        ALL = Collections.unmodifiableList(s);
        for (CommandSpec spec : ALL) {
            int i = hash(spec.nameBytes()) & (TABLE.length - 1);
            while (TABLE[i] != null) {
                i = (i + 1) & (TABLE.length - 1);
            }
            TABLE[i] = spec;
        }
    }

    private CommandTable() {
    }

    /**
     * Finds the spec of a command by its name (argument 0), ignoring ASCII case; allocates nothing.
     *
     * @param cmd the command
     * @return the spec, or {@code null} if the command is unknown
     */
    public static CommandSpec lookup(Command cmd) {
        return lookup(cmd.arg(0));
    }

    /**
     * Finds a spec by name bytes, ignoring ASCII case; allocates nothing.
     *
     * @param name the command name in any case
     * @return the spec, or {@code null} if unknown
     */
    public static CommandSpec lookup(byte[] name) {
        if (name.length > 16) {
            return null; // longer than any name we know
        }
        int i = hash(name) & (TABLE.length - 1);
        for (CommandSpec spec; (spec = TABLE[i]) != null; i = (i + 1) & (TABLE.length - 1)) {
            if (equalsLowerCase(name, spec.nameBytes())) {
                return spec;
            }
        }
        return null;
    }

    /**
     * Finds a spec by name, ignoring ASCII case.
     *
     * @param name the command name
     * @return the spec, or {@code null} if unknown
     */
    public static CommandSpec lookup(String name) {
        return lookup(name.getBytes(StandardCharsets.UTF_8));
    }

    /** @return every spec, in a fixed order; unmodifiable */
    public static List<CommandSpec> all() {
        return ALL;
    }

    /** @return the number of commands, for {@code COMMAND COUNT} */
    public static int size() {
        return ALL.size();
    }

    /**
     * Returns the arity error for a command whose argument count its spec rejects, or {@code null}
     * when the count is fine.
     *
     * @param spec the command's spec
     * @param cmd the command
     * @return the Redis error text, or {@code null}
     */
    public static String checkArity(CommandSpec spec, Command cmd) {
        return spec.acceptsArgCount(cmd.argCount()) ? null : spec.arityError();
    }

    /**
     * Returns Redis's reply to an unknown command, e.g.
     * {@code ERR unknown command 'foo', with args beginning with: 'a' 'b' }.
     *
     * @param cmd the unknown command
     * @return the error text
     */
    public static String unknownCommandError(Command cmd) {
        StringBuilder sb = new StringBuilder("ERR unknown command '")
            .append(clip(cmd.arg(0))).append("', with args beginning with: ");
        for (int i = 1; i < cmd.argCount() && sb.length() < 512; i++) {
            sb.append('\'').append(clip(cmd.arg(i))).append("' ");
        }
        return sb.toString();
    }

    /**
     * Appends a command's {@code COMMAND INFO} entry: name, arity, flags, first key, last key, key
     * step, and empty ACL categories, tips, key specifications and subcommands.
     *
     * @param spec the command
     * @param out the writer
     */
    public static void writeInfo(CommandSpec spec, RespWriter out) {
        out.arrayHeader(10);
        out.bulk(spec.nameBytes());
        out.integer(spec.arity());
        out.arrayHeader(spec.flags().size());
        for (String f : spec.flags()) {
            out.simpleString(f);
        }
        out.integer(spec.firstKey()).integer(spec.lastKey()).integer(spec.keyStep());
        out.arrayHeader(0).arrayHeader(0).arrayHeader(0).arrayHeader(0);
    }

    private static String clip(byte[] arg) {
        String s = new String(arg, StandardCharsets.UTF_8);
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    private static int hash(byte[] name) {
        int h = 0;
        for (byte b : name) {
            h = 31 * h + lower(b);
        }
        return h ^ (h >>> 7);
    }

    private static boolean equalsLowerCase(byte[] name, byte[] lower) {
        if (name.length != lower.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (lower(name[i]) != lower[i]) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    private static List<String> flags(String flags) {
        return flags.isEmpty() ? List.of() : List.of(flags.split(" "));
    }

    private static void key(List<CommandSpec> s, String name, int arity, String flags) {
        s.add(new CommandSpec(name, arity, flags(flags), 1, 1, 1, Routing.KEY));
    }

    private static void multi(List<CommandSpec> s, String name, int arity, String flags, int step, Routing r) {
        s.add(new CommandSpec(name, arity, flags(flags), 1, -1, step, r));
    }

    private static void all(List<CommandSpec> s, String name, int arity, String flags, Routing r) {
        s.add(new CommandSpec(name, arity, flags(flags), 0, 0, 0, r));
    }

    private static void server(List<CommandSpec> s, String name, int arity, String flags) {
        s.add(new CommandSpec(name, arity, flags(flags), 0, 0, 0, Routing.SERVER));
    }
}
