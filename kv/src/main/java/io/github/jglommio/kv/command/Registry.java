package io.github.jglommio.kv.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the command specs while {@link CommandTable} is built: each command family registers
 * its commands with their Redis arity, flags, key positions, routing and handler.
 */
final class Registry {
    final List<CommandSpec> specs = new ArrayList<>();

    /** A command whose only key is argument 1. */
    void key(String name, int arity, String flags, Handler h) {
        add(name, arity, flags, 1, 1, 1, Routing.KEY, h);
    }

    /** A command whose keys run from argument 1 to the last, {@code step} apart, split by shard as {@code r} says. */
    void keys(String name, int arity, String flags, int step, Routing r, Handler h) {
        add(name, arity, flags, 1, -1, step, r, h);
    }

    /** A command every shard runs as it is. */
    void all(String name, int arity, String flags, Routing r, Handler h) {
        add(name, arity, flags, 0, 0, 0, r, h);
    }

    /**
     * A command that reads and writes several keys together (RENAME, SINTERSTORE, LMOVE...): its
     * keys are {@code first..last} by {@code step} ({@code last = -1}: the last argument).
     */
    void atomic(String name, int arity, String flags, int first, int last, int step, Handler h) {
        add(name, arity, flags, first, last, step, Routing.KEYS_ATOMIC, h);
    }

    /**
     * As {@link #atomic(String, int, String, int, int, int, Handler)}, for keys that only
     * {@code finder} can locate (a numkeys argument); {@code first..last..step} is what
     * COMMAND INFO reports, as Redis does.
     */
    void atomic(String name, int arity, String flags, int first, int last, int step, KeyFinder finder, Handler h) {
        specs.add(new CommandSpec(name, arity, flags(flags), first, last, step, Routing.KEYS_ATOMIC, h, finder));
    }

    /** A command the server answers without a keyspace. */
    void server(String name, int arity, String flags) {
        add(name, arity, flags, 0, 0, 0, Routing.SERVER, null);
    }

    /** Any command, with its key positions given as {@link CommandSpec} documents them. */
    void add(String name, int arity, String flags, int firstKey, int lastKey, int keyStep, Routing r, Handler h) {
        specs.add(new CommandSpec(name, arity, flags(flags), firstKey, lastKey, keyStep, r, h, null));
    }

    private static List<String> flags(String flags) {
        return flags.isEmpty() ? List.of() : List.of(flags.split(" "));
    }
}
