package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.resp.Ascii;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;
import io.github.jglommio.kv.store.Glob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * COMMAND and its subcommands, as Redis 7.0 answers them, over this server's
 * {@link CommandTable}: the list (COMMAND, INFO, COUNT, LIST with FILTERBY MODULE, ACLCAT or
 * PATTERN), the keys of a full command (GETKEYS from {@link CommandSpec#keyIndexes}, the keys the
 * server routes by; GETKEYSANDFLAGS adds each key's flags from Redis's key specifications), and DOCS
 * ({@link CommandDocs}).
 *
 * <p>Threading: the calling connection's task.
 */
final class CommandCommand {

    private CommandCommand() {
    }

    static void execute(Command c, RespWriter out) {
        List<CommandSpec> all = CommandTable.all();
        if (c.argCount() == 1) {
            out.arrayHeader(all.size());
            all.forEach(s -> CommandInfo.write(s, out));
            return;
        }
        if (!Subcommands.check(c, out, "command")) {
            return;
        }
        switch (ServerCommands.text(c, 1).toLowerCase(Locale.ROOT)) {
            case "count" -> out.integer(all.size());
            case "info" -> info(c, out);
            case "docs" -> CommandDocs.write(c, out);
            case "list" -> list(c, out);
            case "getkeys" -> keys(c, out, false);
            case "getkeysandflags" -> keys(c, out, true);
            case "help" -> Subcommands.help(out, "COMMAND",
                    "(no subcommand)",
                    "    Return details about all Redis commands.",
                    "COUNT",
                    "    Return the total number of commands in this Redis server.",
                    "LIST",
                    "    Return a list of all commands in this Redis server.",
                    "INFO [<command-name> ...]",
                    "    Return details about multiple Redis commands.",
                    "    If no command names are given, documentation details for all",
                    "    commands are returned.",
                    "DOCS [<command-name> ...]",
                    "    Return documentation details about multiple Redis commands.",
                    "    If no command names are given, documentation details for all",
                    "    commands are returned.",
                    "GETKEYS <full-command>",
                    "    Return the keys from a full Redis command.",
                    "GETKEYSANDFLAGS <full-command>",
                    "    Return the keys and the access flags from a full Redis command.");
            default -> Subcommands.unknown(c, out, "COMMAND");
        }
    }

    /** COMMAND INFO [name...]: all commands without names; an unknown name is a null bulk, as in Redis. */
    private static void info(Command c, RespWriter out) {
        if (c.argCount() == 2) {
            out.arrayHeader(CommandTable.size());
            CommandTable.all().forEach(s -> CommandInfo.write(s, out));
            return;
        }
        out.arrayHeader(c.argCount() - 2);
        for (int i = 2; i < c.argCount(); i++) {
            CommandSpec s = CommandTable.lookup(c.arg(i));
            CommandInfo.Entry sub = subcommand(ServerCommands.text(c, i));
            if (s != null) {
                CommandInfo.write(s, out);
            } else if (sub != null) {
                CommandInfo.write(sub, out);
            } else {
                out.nullBulk();
            }
        }
    }

    /** The entry of {@code parent|sub} when this server has the parent command, else null. */
    static CommandInfo.Entry subcommand(String name) {
        int bar = name.indexOf('|');
        if (bar < 0 || CommandTable.lookup(name.substring(0, bar)) == null) {
            return null;
        }
        return CommandInfo.entry(name);
    }

    /** COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]: names, subcommands too. */
    private static void list(Command c, RespWriter out) {
        if (c.argCount() != 2 && c.argCount() != 5) {
            out.error("ERR syntax error");
            return;
        }
        String by = null;
        String arg = null;
        if (c.argCount() == 5) {
            by = ServerCommands.text(c, 3).toLowerCase(Locale.ROOT);
            arg = ServerCommands.text(c, 4);
            if (!ServerCommands.text(c, 2).equalsIgnoreCase("filterby")
                    || !(by.equals("module") || by.equals("aclcat") || by.equals("pattern"))) {
                out.error("ERR syntax error");
                return;
            }
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec s : CommandTable.all()) {
            names.add(s.name());
            for (CommandInfo.Entry sub : CommandInfo.subcommands(s.name())) {
                names.add(sub.name());
            }
        }
        List<String> picked = new ArrayList<>();
        if (by == null) {
            picked = names;
        } else if (by.equals("pattern")) {
            byte[] p = arg.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            for (String n : names) {
                if (Glob.matches(p, n.getBytes(StandardCharsets.UTF_8))) {
                    picked.add(n);
                }
            }
        } else if (by.equals("aclcat")) {
            String category = "@" + arg.toLowerCase(Locale.ROOT);
            for (String n : names) {
                CommandInfo.Entry e = CommandInfo.entry(n);
                if (e != null && e.categories().contains(category)) {
                    picked.add(n);
                }
            }
        }
        // FILTERBY MODULE: no module is loaded, so nothing matches.
        out.arrayHeader(picked.size());
        for (String n : picked) {
            out.bulk(n.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** COMMAND GETKEYS|GETKEYSANDFLAGS command arg...: Redis's errors for commands without keys or bad arguments. */
    private static void keys(Command c, RespWriter out, boolean flags) {
        CommandSpec spec = CommandTable.lookup(c.arg(2));
        if (spec == null) {
            out.error("ERR Invalid command specified");
            return;
        }
        Command target = Command.of(Arrays.copyOfRange(c.args(), 2, c.argCount()));
        if (!spec.acceptsArgCount(target.argCount())) {
            out.error("ERR Invalid number of arguments specified for command");
            return;
        }
        CommandInfo.Entry entry = CommandInfo.entry(spec.name());
        // Key specs flagged not_key (the shard channels of SPUBLISH...) are no keys to GETKEYS, as in Redis.
        boolean hasKeys = entry != null ? hasKeySpecs(entry) || hasSubcommandKeys(entry, target)
                : spec.firstKey() != 0;
        if (!hasKeys) {
            out.error("ERR The command has no key arguments");
            return;
        }
        int[] keys = spec.keyIndexes(target);
        if (keys == null) {
            out.error("ERR Invalid arguments specified for command");
            return;
        }
        Map<Integer, List<String>> keyFlags = flags && entry != null ? flagsOf(entry, target) : Map.of();
        if (flags) {
            keyFlags = variableFlags(spec.name(), target, keyFlags);
        }
        out.arrayHeader(keys.length);
        for (int k : keys) {
            if (flags) {
                out.arrayHeader(2).bulk(target.arg(k));
                List<String> f = keyFlags.getOrDefault(k, List.of());
                out.arrayHeader(f.size());
                f.forEach(out::simpleString);
            } else {
                out.bulk(target.arg(k));
            }
        }
    }

    private static boolean hasKeySpecs(CommandInfo.Entry entry) {
        return entry.keySpecs().stream().anyMatch(k -> !k.flags().contains("not_key"));
    }

    private static boolean hasSubcommandKeys(CommandInfo.Entry entry, Command target) {
        if (target.argCount() < 2) {
            return false;
        }
        String sub = entry.name() + "|" + new String(target.arg(1), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        CommandInfo.Entry e = CommandInfo.entry(sub);
        return e != null && !e.keySpecs().isEmpty();
    }

    /**
     * The flags of each key position, found as Redis finds keys: each key specification's begin
     * search (an index, or a keyword looked for from a position) then its find-keys step (a range,
     * or a count of keys read from the arguments). The first specification to name a position gives
     * its flags.
     */
    static Map<Integer, List<String>> flagsOf(CommandInfo.Entry entry, Command c) {
        Map<Integer, List<String>> flags = new HashMap<>();
        int argc = c.argCount();
        for (CommandInfo.KeySpec k : entry.keySpecs()) {
            int first = begin(k.beginSearch(), c);
            if (first <= 0 || first >= argc) {
                continue;
            }
            CommandInfo.Step f = k.findKeys();
            int last;
            int step;
            switch (f.type()) {
                case "range" -> {
                    long lastKey = (Long) f.values().get(0);
                    step = (int) (long) (Long) f.values().get(1);
                    long limit = (Long) f.values().get(2);
                    if (lastKey >= 0) {
                        last = (int) (first + lastKey);
                    } else if (limit <= 1) {
                        last = (int) (argc + lastKey);
                    } else {
                        last = (int) (first + ((argc - first) / limit + lastKey));
                    }
                }
                case "keynum" -> {
                    int numIdx = first + (int) (long) (Long) f.values().get(0);
                    if (numIdx >= argc) {
                        continue;
                    }
                    byte[] a = c.arg(numIdx);
                    long n = Ascii.parseOr(a, 0, a.length, -1);
                    if (n <= 0) {
                        continue;
                    }
                    step = (int) (long) (Long) f.values().get(2);
                    first += (int) (long) (Long) f.values().get(1);
                    last = (int) (first + (n - 1) * Math.max(1, step));
                }
                default -> {
                    continue;
                }
            }
            for (int i = first; i <= last && i < argc; i += Math.max(1, step)) {
                flags.putIfAbsent(i, k.flags());
            }
        }
        return flags;
    }

    /**
     * The flags of the commands whose key specification says {@code variable_flags}, as their
     * arguments decide them: SET is an overwrite unless it has GET; BITFIELD only reads when it has
     * nothing but GET (and OVERFLOW) operations.
     */
    private static Map<Integer, List<String>> variableFlags(String name, Command c, Map<Integer, List<String>> flags) {
        switch (name) {
            case "set" -> {
                for (int i = 3; i < c.argCount(); i++) {
                    if (ServerCommands.text(c, i).equalsIgnoreCase("get")) {
                        return Map.of(1, List.of("RW", "access", "update"));
                    }
                }
                return Map.of(1, List.of("OW", "update"));
            }
            case "bitfield" -> {
                boolean readOnly = true;
                for (int i = 2; i < c.argCount() && readOnly; i++) {
                    String op = ServerCommands.text(c, i).toLowerCase(Locale.ROOT);
                    int left = c.argCount() - i - 1;
                    if (op.equals("get") && left >= 2) {
                        i += 2;
                    } else if (op.equals("overflow") && left >= 1) {
                        i += 1;
                    } else {
                        readOnly = false; // a write, or a syntax error: assume it writes
                    }
                }
                return Map.of(1, readOnly ? List.of("RO", "access") : List.of("RW", "access", "update"));
            }
            default -> {
                return flags;
            }
        }
    }

    /** Where a key specification's keys start in {@code c}, or 0 when its begin search does not apply. */
    private static int begin(CommandInfo.Step b, Command c) {
        switch (b.type()) {
            case "index" -> {
                return (int) (long) (Long) b.values().get(0);
            }
            case "keyword" -> {
                String keyword = (String) b.values().get(0);
                long from = (Long) b.values().get(1);
                int argc = c.argCount();
                if (from >= 0) {
                    for (int i = (int) from; i < argc; i++) {
                        if (new String(c.arg(i), StandardCharsets.UTF_8).equalsIgnoreCase(keyword)) {
                            return i + 1;
                        }
                    }
                } else {
                    for (int i = (int) (argc + from); i > 0; i--) {
                        if (new String(c.arg(i), StandardCharsets.UTF_8).equalsIgnoreCase(keyword)) {
                            return i + 1;
                        }
                    }
                }
                return 0;
            }
            default -> {
                return 0;
            }
        }
    }
}
