package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;

import java.nio.charset.StandardCharsets;

/**
 * The scripting commands: EVAL, EVALSHA, FCALL and their read-only forms ({@link Routing#SCRIPT}:
 * the server runs them, see {@code kv.script}), and the SCRIPT and FUNCTION containers, which the
 * server answers. Their keys are the {@code numkeys} arguments after the script or function name.
 */
final class ScriptSpecs {
    private ScriptSpecs() {
    }

    static void register(Registry r) {
        String flags = "noscript stale skip_monitor no_mandatory_keys movablekeys";
        for (String name : new String[] {"eval", "evalsha", "fcall"}) {
            r.specs.add(new CommandSpec(name, -3, flags(flags), 0, 0, 0, Routing.SCRIPT, null, ScriptSpecs::keys));
            r.specs.add(new CommandSpec(name + "_ro", -3, flags("readonly " + flags), 0, 0, 0, Routing.SCRIPT, null,
                    ScriptSpecs::keys));
        }
        r.server("script", -2, "");
        r.server("function", -2, "");
    }

    private static java.util.List<String> flags(String s) {
        return java.util.List.of(s.split(" "));
    }

    /** The numkeys keys after {@code EVAL script numkeys}; malformed numkeys: the engine answers. */
    private static int[] keys(Command c) {
        long n;
        try {
            n = Long.parseLong(new String(c.arg(2), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw new CommandError("ERR value is not an integer or out of range");
        }
        if (n < 0 || n > c.argCount() - 3) {
            throw new CommandError("ERR Number of keys can't be greater than number of args");
        }
        int[] keys = new int[(int) n];
        for (int i = 0; i < n; i++) {
            keys[i] = 3 + i;
        }
        return keys;
    }
}
