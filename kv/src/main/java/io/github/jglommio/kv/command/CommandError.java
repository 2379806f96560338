package io.github.jglommio.kv.command;

import java.io.Serial;

/**
 * An error reply raised while validating a command's arguments, before anything was changed or
 * written; {@link KeyspaceCommands} turns it into exactly one error reply. Stackless: it is a
 * reply, not a bug.
 */
final class CommandError extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    static final String NOT_FLOAT = "ERR value is not a valid float";
    static final String SYNTAX = "ERR syntax error";
    static final String OVERFLOW = "ERR increment or decrement would overflow";
    static final String NOT_POSITIVE = "ERR value is out of range, must be positive";

    CommandError(String message) {
        super(message, null, false, false);
    }
}
