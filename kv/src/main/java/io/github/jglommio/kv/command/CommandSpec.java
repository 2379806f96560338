package io.github.jglommio.kv.command;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What {@code COMMAND INFO} reports about a command, plus how the server routes it. Immutable.
 *
 * <p>Arity follows Redis: positive means exactly that many arguments, negative means at least
 * {@code -arity}; both count the command name. Key positions are argument indexes (1 = first
 * argument after the name); {@code lastKey = -1} means the last argument; {@code 0, 0, 0} means the
 * command takes no key.
 */
public final class CommandSpec {
    private final String name;
    private final byte[] nameBytes;
    private final int arity;
    private final List<String> flags;
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;
    private final Routing routing;

    /**
     * Creates a spec.
     *
     * @param name the lower-case command name
     * @param arity the Redis arity
     * @param flags Redis's flag names, e.g. {@code write}, {@code readonly}, {@code fast}
     * @param firstKey the index of the first key, 0 if none
     * @param lastKey the index of the last key, -1 for the last argument, 0 if none
     * @param keyStep the distance between keys, 0 if none
     * @param routing how the server dispatches it
     */
    public CommandSpec(String name, int arity, List<String> flags, int firstKey, int lastKey, int keyStep,
                       Routing routing) {
        this.name = name;
        this.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        this.arity = arity;
        this.flags = List.copyOf(flags);
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.routing = routing;
    }

    /** @return the lower-case name, e.g. {@code get} */
    public String name() {
        return name;
    }

    /** @return the lower-case name as ASCII bytes; not to be modified */
    public byte[] nameBytes() {
        return nameBytes;
    }

    /** @return the Redis arity (negative: minimum) */
    public int arity() {
        return arity;
    }

    /** @return the Redis flag names */
    public List<String> flags() {
        return flags;
    }

    /** @return the index of the first key argument, 0 if none */
    public int firstKey() {
        return firstKey;
    }

    /** @return the index of the last key argument, -1 for the last argument, 0 if none */
    public int lastKey() {
        return lastKey;
    }

    /** @return the step between key arguments, 0 if none */
    public int keyStep() {
        return keyStep;
    }

    /** @return how the server dispatches the command */
    public Routing routing() {
        return routing;
    }

    /** @return whether the command may modify the keyspace (flag {@code write}) */
    public boolean isWrite() {
        return flags.contains("write");
    }

    /**
     * Returns whether {@code argCount} arguments (counting the name) satisfy the arity.
     *
     * @param argCount the number of arguments including the name
     * @return {@code true} if acceptable
     */
    public boolean acceptsArgCount(int argCount) {
        return arity >= 0 ? argCount == arity : argCount >= -arity;
    }

    /** @return Redis's arity error text, e.g. {@code ERR wrong number of arguments for 'get' command} */
    public String arityError() {
        return "ERR wrong number of arguments for '" + name + "' command";
    }

    @Override
    public String toString() {
        return name + "/" + arity;
    }
}
