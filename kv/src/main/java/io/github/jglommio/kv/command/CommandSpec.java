package io.github.jglommio.kv.command;

import io.github.jglommio.kv.resp.Command;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

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
    private final boolean denyOom;
    private final int firstKey;
    private final int lastKey;
    private final int keyStep;
    private final Routing routing;
    private final Handler handler;
    private final KeyFinder keyFinder;
    private final boolean write;
    private final boolean noTouch;
    private final boolean remarks;
    /** Its position in {@link CommandTable#all()}, set once while the table is built. */
    private int ordinal = -1;

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
     * @param handler runs it against a keyspace, {@code null} for commands the server answers
     * @param keyFinder finds the keys where first..last..step cannot, else {@code null}
     */
    CommandSpec(String name, int arity, List<String> flags, int firstKey, int lastKey, int keyStep,
                Routing routing, Handler handler, KeyFinder keyFinder) {
        this.name = name;
        this.nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        this.arity = arity;
        this.flags = List.copyOf(flags);
        this.denyOom = flags.contains("denyoom");
        this.firstKey = firstKey;
        this.lastKey = lastKey;
        this.keyStep = keyStep;
        this.routing = routing;
        this.handler = handler;
        this.keyFinder = keyFinder;
        this.write = this.flags.contains("write");
        this.noTouch = NO_TOUCH.contains(name);
        // The set, hash and sorted-set writes (not SET, SETEX, SETRANGE...: strings are marked by
        // their handlers; nor SORT, which stores a list): after them a value may have outgrown its encoding.
        char first = name.charAt(0);
        this.remarks = write && handler != null && (first == 'h' || first == 'z'
                || (first == 's' && !name.startsWith("set") && !name.equals("sort")));
    }

    /** The commands Redis runs without changing the idle time of the keys they look at. */
    private static final Set<String> NO_TOUCH =
            Set.of("type", "ttl", "pttl", "expiretime", "pexpiretime", "exists", "object");

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

    /** @return what runs it against a keyspace, {@code null} for a server command */
    Handler handler() {
        return handler;
    }

    /**
     * Returns the argument indexes of a command's keys: those its key finder names, else the
     * range {@link #firstKey()}..{@link #lastKey()} by {@link #keyStep()}.
     *
     * @param c the command, its arity already checked
     * @return the key indexes, in order; empty for a command without keys; {@code null} if the
     *     arguments that locate the keys are malformed (the handler reports the error)
     */
    public int[] keyIndexes(Command c) {
        if (keyFinder != null) {
            try {
                return keyFinder.keys(c);
            } catch (CommandError e) {
                return null;
            }
        }
        if (firstKey == 0) {
            return new int[0];
        }
        int last = lastKey < 0 ? c.argCount() + lastKey : lastKey;
        int step = Math.max(1, keyStep);
        if (last < firstKey) {
            return new int[0];
        }
        int[] keys = new int[(last - firstKey) / step + 1];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = firstKey + k * step;
        }
        return keys;
    }

    /**
     * Returns whether a key range that runs to the end ({@link #lastKey()} negative) with a step
     * leaves a key without its values, as {@code MSET k v k}; the handler answers the arity error.
     * COMMAND GETKEYS still names such keys, as Redis does.
     *
     * @param c the command
     * @return whether its last key step is incomplete
     */
    public boolean hasPartialKeyStep(Command c) {
        return keyFinder == null && firstKey > 0 && lastKey < 0 && keyStep > 1
            && (c.argCount() + lastKey + 1 - firstKey) % keyStep != 0;
    }

    /**
     * @return whether the command may grow the data (flag {@code denyoom}): refused with
     *     {@code -OOM} while the memory is over {@code maxmemory} and nothing can be evicted
     */
    public boolean isDenyOom() {
        return denyOom;
    }

    /** @return whether the command may modify the keyspace (flag {@code write}) */
    public boolean isWrite() {
        return write;
    }

    /** @return whether the command leaves the idle time of the keys it reads as it was (TYPE, TTL, EXISTS, OBJECT) */
    public boolean isNoTouch() {
        return noTouch;
    }

    /** @return whether a run that changed the keyspace must recompute its keys' encoding marks (set, hash and sorted-set writes) */
    boolean remarks() {
        return remarks;
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

    /**
     * Returns the command's position in {@link CommandTable#all()}: a dense number for per-command
     * counters kept in arrays (INFO commandstats) instead of maps.
     *
     * @return 0 to {@code CommandTable.size() - 1}
     */
    public int ordinal() {
        return ordinal;
    }

    void ordinal(int n) {
        ordinal = n;
    }

    @Override
    public String toString() {
        return name + "/" + arity;
    }
}
