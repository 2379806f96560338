package io.github.jglommio.kv.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server-wide registry of function libraries (FUNCTION LOAD, DELETE, FLUSH, RESTORE, LIST):
 * each library's name, code and the functions its code registered, with their flags. A shard's
 * {@link ScriptEngine} runs a library's code in its own Lua state the first time it needs it
 * after a change ({@link #version()}). Thread-safe: every method holds the registry's lock, which
 * no method holds while Lua runs.
 */
public final class FunctionLibraries {
    /** A function a library registered. */
    public record Function(String name, String description, List<String> flags) {
        /** Whether it may not write (flag {@code no-writes}). */
        public boolean readOnly() {
            return flags.contains("no-writes");
        }

        /** Whether it may run while the server is out of memory (flag {@code allow-oom}). */
        public boolean allowOom() {
            return flags.contains("allow-oom");
        }
    }

    /** A library: its name, whole code (the shebang line included) and functions, in registration order. */
    public record Library(String name, String code, List<Function> functions) {
    }

    private final Map<String, Library> libraries = new LinkedHashMap<>();
    private long version;

    /**
     * Adds {@code lib}, replacing the library of that name when {@code replace}; returns Redis's
     * error, without changing anything, when the library exists or one of its functions belongs to
     * another library; null once added.
     */
    public synchronized String add(Library lib, boolean replace) {
        Library old = libraries.get(key(lib.name()));
        if (old != null && !replace) {
            return "ERR Library '" + lib.name() + "' already exists";
        }
        for (Function f : lib.functions()) {
            for (Library other : libraries.values()) {
                if (other.name().equals(lib.name())) {
                    continue;
                }
                for (Function g : other.functions()) {
                    if (g.name().equalsIgnoreCase(f.name())) {
                        return "ERR Function " + f.name() + " already exists";
                    }
                }
            }
        }
        libraries.put(key(lib.name()), lib);
        version++;
        return null;
    }

    /** Removes library {@code name}; false if there is none. */
    public synchronized boolean delete(String name) {
        if (libraries.remove(key(name)) == null) {
            return false;
        }
        version++;
        return true;
    }

    /** Removes every library. */
    public synchronized void flush() {
        libraries.clear();
        version++;
    }

    /** The libraries, in the order they were added. */
    public synchronized List<Library> all() {
        return new ArrayList<>(libraries.values());
    }

    /** Replaces every library by {@code libs} at once (FUNCTION RESTORE ... FLUSH, after checks). */
    public synchronized void replaceAll(List<Library> libs) {
        libraries.clear();
        for (Library l : libs) {
            libraries.put(key(l.name()), l);
        }
        version++;
    }

    /** A library's key: its name as it is (Redis's library names are case-sensitive, function names not). */
    private static String key(String name) {
        return name;
    }

    /**
     * FUNCTION RESTORE: adds {@code libs} as {@code policy} says ({@code flush}: instead of every
     * library; {@code append}: a name that exists is an error; {@code replace}: a library of the same
     * name is replaced), all or nothing; returns Redis's error, or null once done.
     */
    public synchronized String restore(List<Library> libs, String policy) {
        Map<String, Library> next = new LinkedHashMap<>(policy.equals("flush") ? Map.of() : libraries);
        for (Library l : libs) {
            if (next.containsKey(key(l.name())) && policy.equals("append")) {
                return "ERR Library " + l.name() + " already exists";
            }
            next.put(key(l.name()), l);
        }
        Map<String, String> owners = new java.util.HashMap<>();
        for (Library l : next.values()) {
            for (Function f : l.functions()) {
                if (owners.putIfAbsent(f.name().toLowerCase(java.util.Locale.ROOT), l.name()) != null) {
                    return "ERR Function " + f.name() + " already exists";
                }
            }
        }
        libraries.clear();
        libraries.putAll(next);
        version++;
        return null;
    }

    /** The function {@code name} and its library, or null. */
    public synchronized Function function(String name) {
        for (Library l : libraries.values()) {
            for (Function f : l.functions()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
        }
        return null;
    }

    /** Counts every change, for the engines to notice one. */
    public synchronized long version() {
        return version;
    }
}
