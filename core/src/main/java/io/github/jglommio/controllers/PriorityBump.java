package io.github.jglommio.controllers;

/**
 * Keeps a {@link DeadlineQueue}'s shares at 250 or more while it is open: returned by
 * {@link DeadlineQueue#bumpPriority()}. Glommio's {@code PriorityBump}, with {@link #close()} in the
 * place of Rust's drop.
 *
 * {@snippet :
 * try (PriorityBump bump = queue.bumpPriority()) {    // e.g. while a user watches the progress
 *     queue.pushWork(source);
 * }
 * }
 *
 * <p>Useful when, deadline or not, the work should not crawl: a shutdown has started, someone is
 * waiting on it. If the controller's output is already higher, a bump changes nothing. Bumps nest:
 * the minimum returns to 1 when every open bump is closed.
 *
 * <p>Threading: belongs to the queue's executor; {@link #close()} throws {@link WrongThreadException}
 * elsewhere.
 */
public final class PriorityBump implements AutoCloseable {

    private final DeadlineQueue<?> queue;
    private boolean closed;

    PriorityBump(DeadlineQueue<?> queue) {
        this.queue = queue;
    }

    /**
     * Ends this bump; a no-op when already closed.
     *
     * @throws WrongThreadException outside the queue's executor
     */
    @Override
    public void close() {
        queue.checkOwner("PriorityBump.close()");
        if (!closed) {
            closed = true;
            queue.controller.unbump();
        }
    }
}
