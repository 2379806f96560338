package io.github.jglommio.kv.resp;

import java.io.Serial;

/**
 * A request that breaks the RESP grammar. The message is the error reply Redis sends before it
 * closes the connection, without the leading {@code -}, for example
 * {@code ERR Protocol error: invalid bulk length}; the server writes it as an error reply and then
 * closes the connection, because the parser cannot find the start of the next request.
 */
public final class ProtocolException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the Redis error text without the leading {@code -}
     */
    public ProtocolException(String message) {
        // No stack trace: this is an expected outcome of bad input, raised on the request path.
        super(message, null, false, false);
    }
}
