package io.github.jglommio.kv.aof;

import io.github.jglommio.kv.resp.Command;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A tiny keyspace for the log's tests: SET, DEL, APPEND, and MULTI/EXEC as no-ops (not idempotent, so a record applied twice
 * or out of order shows). {@code copyHook} runs after each key that a copy made by {@link #newEmpty()}
 * (the one a rewrite replays into) emits in its rebuild: to yield or fail there.
 */
final class MapStateMachine implements LogStateMachine {

    final Map<String, String> map = new TreeMap<>();
    private final Runnable copyHook;
    private final boolean copy;

    MapStateMachine() {
        this(() -> { });
    }

    MapStateMachine(Runnable copyHook) {
        this(copyHook, false);
    }

    private MapStateMachine(Runnable copyHook, boolean copy) {
        this.copyHook = copyHook;
        this.copy = copy;
    }

    /** Executes {@code cmd} as the server would and returns it as the command to log. */
    Command execute(String... args) {
        Command cmd = Command.of(args);
        apply(cmd);
        return cmd;
    }

    @Override
    public void apply(Command command) {
        String name = command.name();
        switch (name) {
            case "set" -> map.put(arg(command, 1), arg(command, 2));
            case "del" -> map.remove(arg(command, 1));
            case "append" -> map.merge(arg(command, 1), arg(command, 2), String::concat);
            case "multi", "exec" -> { } // a block's records apply one by one here
            default -> throw new IllegalArgumentException("unknown command '" + name + "'");
        }
    }

    private static String arg(Command c, int i) {
        return new String(c.arg(i), StandardCharsets.UTF_8);
    }

    @Override
    public void rebuild(Consumer<Command> out) {
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.accept(Command.of("SET", e.getKey(), e.getValue()));
            if (copy) {
                copyHook.run();
            }
        }
    }

    @Override
    public LogStateMachine newEmpty() {
        return new MapStateMachine(copyHook, true);
    }
}
