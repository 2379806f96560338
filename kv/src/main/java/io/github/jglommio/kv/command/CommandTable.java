package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.nio.charset.StandardCharsets;
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
        Registry r = new Registry();
        StringCommands.register(r);
        BitCommands.register(r);
        KeyCommands.register(r);
        ListCommands.register(r);
        SetCommands.register(r);
        HashCommands.register(r);
        ZSetCommands.register(r);
        BlockingPops.register(r);
        ServerSpecs.register(r);
        PubSubSpecs.register(r);
        ScriptSpecs.register(r);
        List<CommandSpec> s = r.specs;
        ALL = Collections.unmodifiableList(s);
        for (int n = 0; n < ALL.size(); n++) {
            ALL.get(n).ordinal(n);
        }
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

    /**
     * The argument indexes of the keys a command names (a log record, say), looked up by its name.
     *
     * @param c the command
     * @return the indexes, or {@code null} for an unknown or malformed command
     */
    public static int[] keyIndexesOf(Command c) {
        CommandSpec spec = lookup(c);
        return spec == null ? null : spec.keyIndexes(c);
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
}
