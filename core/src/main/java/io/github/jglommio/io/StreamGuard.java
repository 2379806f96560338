package io.github.jglommio.io;

import io.github.jglommio.reactor.Reactor;

import java.nio.channels.ClosedChannelException;

/**
 * The entry checks a sequential stream makes on every call: the caller is a task of the stream's
 * executor, the stream is open, and no other task is parked inside a call (a stream has one user at
 * a time). Owner thread only.
 */
final class StreamGuard {

    private final Reactor owner;
    private final String type;
    private final Object file;
    private final String user;
    private boolean busy;

    /**
     * @param type the stream's class name, for messages
     * @param file what the stream reads or writes, for messages
     * @param user "consumer" or "producer"
     */
    StreamGuard(Reactor owner, String type, Object file, String user) {
        this.owner = owner;
        this.type = type;
        this.file = file;
        this.user = user;
    }

    void checkThread(String what) {
        if (Reactor.current() != owner) {
            throw new WrongThreadException(type + "." + what + " must be called from a task of the executor "
                    + "that opened " + file + "; it was called from " + Thread.currentThread());
        }
    }

    /** Checks thread and state and marks the stream busy; the caller calls {@link #exit()} in a finally. */
    void enter(String what, boolean closed) throws ClosedChannelException {
        checkThread(what);
        if (closed) {
            throw new ClosedChannelException();
        }
        if (busy) {
            throw new IllegalStateException(type + "." + what + ": another task is inside a call of this stream; "
                    + "a stream has one " + user + " at a time");
        }
        busy = true;
    }

    void exit() {
        busy = false;
    }

    /** For close: the caller's thread is right and no other task is inside a call. */
    void checkIdle(String what) {
        checkThread(what);
        if (busy) {
            throw new IllegalStateException(type + "." + what + ": another task is inside a call of this stream");
        }
    }
}
