package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.resp.RespWriter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code COMMAND INFO} says about each command beyond its {@link CommandSpec}: ACL categories,
 * tips, key specifications and subcommands, as Redis 7.0 reports them. The data is the resource
 * {@code command-info.txt}, written from a redis-server 7.0's own COMMAND reply by
 * {@code kv/tools/command-meta.py} (its header describes the format); it covers every Redis 7.0
 * command, so a command a family adds later finds its entry already there.
 *
 * <p>A command's name, arity, flags and key positions come from its {@link CommandSpec} (what this
 * server implements); a subcommand's, which has no spec, from the resource. Immutable and shared.
 */
final class CommandInfo {

    /** A begin-search or find-keys step of a key specification: its type and its fields, in order. */
    record Step(String type, List<String> names, List<Object> values) {
    }

    /** One key specification. */
    record KeySpec(String notes, List<String> flags, Step beginSearch, Step findKeys) {
    }

    /**
     * One command or subcommand ({@code config|get}) as the resource has it.
     *
     * @param subcommands in the order Redis lists them
     */
    record Entry(String name, int arity, List<String> flags, int firstKey, int lastKey, int keyStep,
                 List<String> categories, List<String> tips, List<KeySpec> keySpecs, List<Entry> subcommands) {
    }

    private static final Map<String, Entry> ENTRIES = load();
    /** By {@link CommandSpec#ordinal()}: whether the command has subcommands, without a lookup. */
    private static final boolean[] CONTAINER = containers();

    private static boolean[] containers() {
        boolean[] c = new boolean[CommandTable.size()];
        for (CommandSpec s : CommandTable.all()) {
            Entry e = ENTRIES.get(s.name());
            c[s.ordinal()] = e != null && !e.subcommands().isEmpty();
        }
        return c;
    }

    /** Whether {@code spec} has subcommands (CONFIG, CLIENT...); an array read. */
    static boolean isContainer(CommandSpec spec) {
        return CONTAINER[spec.ordinal()];
    }

    private CommandInfo() {
    }

    /** The entry of a command or subcommand ({@code config|get}), in any case; null if Redis 7.0 has none. */
    static Entry entry(String name) {
        return ENTRIES.get(name.toLowerCase(Locale.ROOT));
    }

    /** The subcommands of {@code command} (empty when it has none). */
    static List<Entry> subcommands(String command) {
        Entry e = entry(command);
        return e == null ? List.of() : e.subcommands();
    }

    /**
     * Appends {@code spec}'s COMMAND INFO entry: the ten fields of Redis 7.0 (name, arity, flags,
     * first key, last key, step, ACL categories, tips, key specifications, subcommands).
     */
    static void write(CommandSpec spec, RespWriter out) {
        Entry e = entry(spec.name());
        write(spec.name(), spec.arity(), spec.flags(), spec.firstKey(), spec.lastKey(), spec.keyStep(), e, out);
    }

    /** Appends a subcommand's COMMAND INFO entry (COMMAND INFO config|get). */
    static void write(Entry sub, RespWriter out) {
        write(sub.name(), sub.arity(), sub.flags(), sub.firstKey(), sub.lastKey(), sub.keyStep(), sub, out);
    }

    private static void write(String name, int arity, List<String> flags, int first, int last, int step, Entry e,
                              RespWriter out) {
        out.arrayHeader(10);
        out.bulk(bytes(name));
        out.integer(arity);
        // Under RESP3, Redis 7.0 sends flags, categories, tips and key specs as sets, each key spec a map.
        out.setHeader(flags.size());
        flags.forEach(out::simpleString);
        out.integer(first).integer(last).integer(step);
        if (e == null) {
            out.setHeader(0).setHeader(0).setHeader(0).setHeader(0);
            return;
        }
        out.setHeader(e.categories().size());
        e.categories().forEach(out::simpleString);
        out.setHeader(e.tips().size());
        e.tips().forEach(t -> out.bulk(bytes(t)));
        out.setHeader(e.keySpecs().size());
        for (KeySpec k : e.keySpecs()) {
            writeKeySpec(k, out);
        }
        if (e.subcommands().isEmpty()) {
            out.setHeader(0); // as Redis 7.0: a set when empty, an array of entries otherwise
            return;
        }
        out.arrayHeader(e.subcommands().size());
        for (Entry sub : e.subcommands()) {
            write(sub.name(), sub.arity(), sub.flags(), sub.firstKey(), sub.lastKey(), sub.keyStep(), sub, out);
        }
    }

    private static void writeKeySpec(KeySpec k, RespWriter out) {
        out.mapHeader(k.notes() == null ? 3 : 4);
        if (k.notes() != null) {
            out.bulk(bytes("notes")).bulk(bytes(k.notes()));
        }
        out.bulk(bytes("flags")).setHeader(k.flags().size());
        k.flags().forEach(out::simpleString);
        out.bulk(bytes("begin_search"));
        writeStep(k.beginSearch(), out);
        out.bulk(bytes("find_keys"));
        writeStep(k.findKeys(), out);
    }

    private static void writeStep(Step s, RespWriter out) {
        out.mapHeader(2);
        out.bulk(bytes("type")).bulk(bytes(s.type()));
        out.bulk(bytes("spec")).mapHeader(s.names().size());
        for (int i = 0; i < s.names().size(); i++) {
            out.bulk(bytes(s.names().get(i)));
            Object v = s.values().get(i);
            if (v instanceof Long n) {
                out.integer(n);
            } else {
                out.bulk(bytes((String) v));
            }
        }
    }

    // ---------------------------------------------------------------- the resource

    private static Map<String, Entry> load() {
        try (InputStream in = CommandInfo.class.getResourceAsStream("command-info.txt")) {
            if (in == null) {
                throw new IllegalStateException("resource command-info.txt is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, Entry> byName = new HashMap<>();
            Map<String, List<Entry>> subs = new HashMap<>();
            List<String[]> lines = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    lines.add(line.split("\t", -1));
                }
            }
            // Subcommands first, so that each parent is built with its list.
            for (String[] f : lines) {
                int bar = f[0].indexOf('|');
                if (bar >= 0) {
                    Entry e = parse(f, List.of());
                    byName.put(e.name(), e);
                    subs.computeIfAbsent(f[0].substring(0, bar), k -> new ArrayList<>()).add(e);
                }
            }
            for (String[] f : lines) {
                if (f[0].indexOf('|') < 0) {
                    byName.put(f[0], parse(f, List.copyOf(subs.getOrDefault(f[0], List.of()))));
                }
            }
            return Collections.unmodifiableMap(byName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Entry parse(String[] f, List<Entry> subcommands) {
        String[] keys = f[3].split(",");
        List<KeySpec> specs = new ArrayList<>();
        for (int i = 6; i < f.length; i++) {
            String[] p = f[i].split("\\|", 4);
            specs.add(new KeySpec(p.length > 3 ? p[3] : null, words(p[0].replace(',', ' ')), step(p[1], true),
                    step(p[2], false)));
        }
        return new Entry(f[0], Integer.parseInt(f[1]), words(f[2]), Integer.parseInt(keys[0]), Integer.parseInt(keys[1]),
                Integer.parseInt(keys[2]), words(f[4]), words(f[5]), List.copyOf(specs), subcommands);
    }

    private static Step step(String text, boolean begin) {
        int colon = text.indexOf(':');
        String type = colon < 0 ? text : text.substring(0, colon);
        List<Object> values = new ArrayList<>();
        if (colon >= 0) {
            for (String v : text.substring(colon + 1).split(",")) {
                values.add(v);
            }
        }
        List<String> names = switch (type) {
            case "index" -> List.of("index");
            case "keyword" -> List.of("keyword", "startfrom");
            case "range" -> List.of("lastkey", "keystep", "limit");
            case "keynum" -> List.of("keynumidx", "firstkey", "keystep");
            default -> List.of();
        };
        for (int i = 0; i < values.size(); i++) {
            boolean text0 = begin && type.equals("keyword") && i == 0;
            if (!text0) {
                values.set(i, Long.parseLong((String) values.get(i)));
            }
        }
        return new Step(type, names, List.copyOf(values));
    }

    private static List<String> words(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(" "));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
