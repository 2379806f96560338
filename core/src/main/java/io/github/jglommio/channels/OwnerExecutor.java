package io.github.jglommio.channels;

import io.github.jglommio.LocalExecutor;
import io.github.jglommio.reactor.Reactor;

/** The executor a connected channel end is bound to, and the check that the caller runs on it. */
final class OwnerExecutor {

    private final Reactor reactor;
    private final String name;
    private final long id;

    private OwnerExecutor(Reactor reactor, String name, long id) {
        this.reactor = reactor;
        this.name = name;
        this.id = id;
    }

    /**
     * The calling task's executor.
     *
     * @throws IllegalStateException when the caller is not a jglommio task
     */
    static OwnerExecutor current(String operation) {
        Reactor r = Reactor.current();
        if (r == null) {
            throw new IllegalStateException(operation + " must be called from a jglommio task (code started by "
                    + "LocalExecutor.run, LocalExecutorBuilder.spawn or Task.local), not from " + Thread.currentThread());
        }
        LocalExecutor ex = LocalExecutor.current();
        return new OwnerExecutor(r, ex.name(), ex.id());
    }

    /** Throws {@link WrongThreadException} unless the caller is a task of this executor. */
    void check(String operation) {
        if (Reactor.current() != reactor) {
            throw new WrongThreadException(operation + " must be called from a task of executor '" + name + "' (id "
                    + id + "), the executor that connected it; it was called from " + Thread.currentThread());
        }
    }

    long id() {
        return id;
    }

    String name() {
        return name;
    }
}
