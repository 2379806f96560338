package io.github.jglommio.sync;

import io.github.jglommio.reactor.Reactor;

import java.util.concurrent.CancellationException;

/** Executor binding and the errors every entry point of this package raises. */
final class Owner {

    private Owner() {
    }

    /**
     * The executor of the calling task, which a new object binds to.
     *
     * @throws IllegalStateException outside a jglommio task
     */
    static Reactor bind(String what) {
        return Reactor.currentOrThrow(what);
    }

    /** Throws {@link WrongThreadException} unless the caller is a task of {@code owner}'s executor. */
    static void check(Reactor owner, String what) {
        Reactor caller = Reactor.current();
        if (caller != owner) {
            String from = caller == null
                    ? "thread " + Thread.currentThread() + ", which is not a jglommio task"
                    : "a task of " + caller.owner();
            throw new WrongThreadException(what + " must be called from a task of " + owner.owner()
                    + ", the executor that created the object; it was called from " + from);
        }
    }

    static CancellationException cancelled(String what) {
        return new CancellationException("task was cancelled while parked in " + what);
    }

    static void checkNotNegative(long n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " must not be negative, got " + n);
        }
    }
}
