package io.github.jglommio.kv.store;

import java.util.HashMap;
import java.util.HashSet;

/**
 * The type of a stored value, with the Java type that holds it and the name {@code TYPE} replies.
 */
public enum ValueType {
    /** A byte string, held as {@code byte[]}. */
    STRING("string"),
    /** A list, held as {@link ListValue}. */
    LIST("list"),
    /** A set, held as {@code HashSet<Key>}. */
    SET("set"),
    /** A hash, held as {@code HashMap<Key, byte[]>}. */
    HASH("hash"),
    /** A sorted set, held as {@link ZSet}. */
    ZSET("zset");

    private final String typeName;

    ValueType(String typeName) {
        this.typeName = typeName;
    }

    /**
     * Returns the name the {@code TYPE} command replies, e.g. {@code string}.
     *
     * @return the Redis type name
     */
    public String typeName() {
        return typeName;
    }

    /**
     * Returns the type of a stored value object.
     *
     * @param value a value held by a {@link Keyspace}
     * @return its type
     * @throws IllegalArgumentException if the object is not a keyspace value
     */
    public static ValueType of(Object value) {
        return switch (value) {
            case byte[] b -> STRING;
            case ListValue l -> LIST;
            case HashSet<?> s -> SET;
            case HashMap<?, ?> m -> HASH;
            case ZSet z -> ZSET;
            default -> throw new IllegalArgumentException("not a keyspace value: " + value.getClass());
        };
    }

    /**
     * Returns the type whose {@link #typeName()} equals {@code name} ignoring ASCII case.
     *
     * @param name a Redis type name
     * @return the type, or {@code null} if none matches
     */
    public static ValueType byName(String name) {
        for (ValueType t : values()) {
            if (t.typeName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }

    /** Returns a new empty aggregate of this type; strings are never created empty. */
    Object newEmpty() {
        return switch (this) {
            case LIST -> new ListValue();
            case SET -> new HashSet<Key>();
            case HASH -> new HashMap<Key, byte[]>();
            case ZSET -> new ZSet();
            case STRING -> throw new IllegalArgumentException("strings are not created empty");
        };
    }

    /** Whether a stored value is an empty list, set, hash or sorted set, which Redis never keeps. */
    static boolean isEmptyAggregate(Object value) {
        return switch (value) {
            case ListValue l -> l.isEmpty();
            case HashSet<?> s -> s.isEmpty();
            case HashMap<?, ?> m -> m.isEmpty();
            case ZSet z -> z.size() == 0;
            default -> false;
        };
    }
}
