package io.github.jglommio.kv.server;

import io.github.jglommio.kv.command.CommandSpec;
import io.github.jglommio.kv.command.CommandTable;
import io.github.jglommio.kv.resp.Command;
import io.github.jglommio.kv.resp.RespWriter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * COMMAND DOCS, a documented subset of Redis 7.0's: per command, the fields clients read to show
 * help ({@code summary}, {@code since}, {@code group}, {@code doc_flags} when there are any) and
 * {@code subcommands} with the same fields, but not {@code complexity}, {@code history} nor
 * {@code arguments}. Since, group and doc flags are Redis 7.0's; the summaries are this project's
 * own one-liners. The data is the resource {@code command-docs.txt}
 * ({@code kv/tools/command-docs.py}). Immutable and shared.
 */
final class CommandDocs {

    private record Doc(String since, String group, List<String> flags, String summary) {
    }

    private static final Map<String, Doc> DOCS = load();

    private CommandDocs() {
    }

    /** COMMAND DOCS [name...]: every command without names; unknown names are left out, as in Redis. */
    static void write(Command c, RespWriter out) {
        List<String> picked = new ArrayList<>();
        if (c.argCount() == 2) {
            CommandTable.all().forEach(s -> picked.add(s.name()));
        } else {
            for (int i = 2; i < c.argCount(); i++) {
                CommandSpec s = CommandTable.lookup(c.arg(i));
                CommandInfo.Entry sub = CommandCommand.subcommand(ServerCommands.text(c, i));
                if (s != null) {
                    picked.add(s.name());
                } else if (sub != null) {
                    picked.add(sub.name());
                }
            }
        }
        out.mapHeader(picked.size());
        for (String name : picked) {
            out.bulk(bytes(name));
            writeDoc(name, name.indexOf('|') < 0 ? CommandInfo.subcommands(name) : List.of(), out);
        }
    }

    private static void writeDoc(String name, List<CommandInfo.Entry> subs, RespWriter out) {
        Doc d = DOCS.get(name);
        if (d == null) {
            out.mapHeader(0);
            return;
        }
        int fields = 3 + (d.flags().isEmpty() ? 0 : 1) + (subs.isEmpty() ? 0 : 1);
        out.mapHeader(fields);
        out.bulk(bytes("summary")).bulk(bytes(d.summary()));
        out.bulk(bytes("since")).bulk(bytes(d.since()));
        out.bulk(bytes("group")).bulk(bytes(d.group()));
        if (!d.flags().isEmpty()) {
            out.bulk(bytes("doc_flags")).setHeader(d.flags().size());
            d.flags().forEach(out::simpleString);
        }
        if (!subs.isEmpty()) {
            out.bulk(bytes("subcommands")).mapHeader(subs.size());
            for (CommandInfo.Entry sub : subs) {
                out.bulk(bytes(sub.name()));
                writeDoc(sub.name(), List.of(), out);
            }
        }
    }

    private static Map<String, Doc> load() {
        try (InputStream in = CommandDocs.class.getResourceAsStream("command-docs.txt")) {
            if (in == null) {
                throw new IllegalStateException("resource command-docs.txt is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, Doc> m = new HashMap<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                m.put(f[0], new Doc(f[1], f[2], f[3].isEmpty() ? List.of() : List.of(f[3].split(" ")), f[4]));
            }
            return Map.copyOf(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
