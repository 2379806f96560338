package io.github.jglommio.sys;

import java.io.IOException;

/** A ring could not be created or mapped; the message says why and what to change. */
public final class RingSetupException extends IOException {

    private final int errno;

    public RingSetupException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    /** The positive errno the kernel returned. */
    public int errno() {
        return errno;
    }
}
