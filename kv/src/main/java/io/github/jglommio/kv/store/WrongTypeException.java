package io.github.jglommio.kv.store;

import java.io.Serial;

/**
 * Raised by {@link Keyspace}'s typed accessors when a key holds a value of another type; the
 * message is Redis's reply text without the leading {@code -}.
 */
public final class WrongTypeException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The Redis error text. */
    public static final String MESSAGE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    /** The shared instance: it carries no state and no stack trace, so one is enough. */
    public static final WrongTypeException INSTANCE = new WrongTypeException();

    private WrongTypeException() {
        super(MESSAGE, null, false, false);
    }
}
