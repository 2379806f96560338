package io.github.jglommio.kv.script;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The first line of a script ({@code #!lua flags=no-writes,allow-stale}) or a library
 * ({@code #!lua name=mylib}), parsed as Redis 7.0 does, and the code Lua compiles: the same text with
 * the shebang line emptied, so that line numbers in messages stay those of the text. Immutable.
 */
final class Shebang {
    /** The flags a script or function may declare. */
    static final Set<String> FLAGS = Set.of("no-writes", "allow-oom", "allow-stale", "no-cluster",
            "allow-cross-slot-keys");

    boolean shebang;
    List<String> flags = List.of();
    String name;
    String error;
    byte[] code;

    private Shebang() {
    }

    private static int lineEnd(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                return i;
            }
        }
        return body.length;
    }

    private static byte[] withoutFirstLine(byte[] body, int end) {
        return Arrays.copyOfRange(body, end, body.length); // keeps the newline: line 2 stays line 2
    }

    /** An EVAL script's shebang, if it has one. */
    static Shebang ofScript(byte[] body) {
        Shebang s = new Shebang();
        s.code = body;
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return s;
        }
        s.shebang = true;
        int end = lineEnd(body);
        String line = new String(body, 0, end, StandardCharsets.UTF_8);
        String[] parts = line.split(" ");
        if (!parts[0].equals("#!lua")) {
            s.error = "ERR Unexpected engine in script shebang: " + parts[0];
            return s;
        }
        List<String> flags = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                continue;
            }
            if (!p.startsWith("flags=")) {
                s.error = "ERR Unknown lua shebang option: " + p;
                return s;
            }
            for (String f : p.substring(6).split(",")) {
                if (f.isEmpty()) {
                    continue;
                }
                if (!FLAGS.contains(f)) {
                    s.error = "ERR Unexpected flag in script shebang: " + f;
                    return s;
                }
                flags.add(f);
            }
        }
        s.flags = flags;
        s.code = withoutFirstLine(body, end);
        return s;
    }

    /** A library's shebang (FUNCTION LOAD), which it must have. */
    static Shebang ofLibrary(byte[] body) {
        Shebang s = new Shebang();
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            s.error = "ERR Missing library metadata";
            return s;
        }
        s.shebang = true;
        int end = lineEnd(body);
        String line = new String(body, 0, end, StandardCharsets.UTF_8);
        String[] parts = line.split(" ");
        String engine = parts[0].substring(2);
        if (!engine.equalsIgnoreCase("lua")) {
            s.error = "ERR Engine '" + engine + "' not found";
            return s;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                continue;
            }
            if (p.startsWith("name=")) {
                s.name = p.substring(5);
            } else {
                s.error = "ERR Invalid metadata value given: " + p;
                return s;
            }
        }
        if (s.name == null) {
            s.error = "ERR Library name was not given";
            return s;
        }
        if (!validName(s.name)) {
            s.error = "ERR Library names can only contain letters, numbers, or underscores(_) and must be at least"
                    + " one character long";
            return s;
        }
        s.code = withoutFirstLine(body, end);
        return s;
    }

    /** Letters, digits and underscores, at least one: what library and function names may be. */
    static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }
}
