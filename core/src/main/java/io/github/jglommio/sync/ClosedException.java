package io.github.jglommio.sync;

/**
 * Thrown by a {@link Semaphore}, {@link RwLock} or {@link Gate} that was closed: Glommio's
 * {@code GlommioError::Closed(ResourceType::Semaphore | RwLock | Gate)}. Tasks parked on the object
 * when it is closed get it too, so closing is the way to release every waiter at shutdown.
 *
 * {@snippet :
 * Semaphore sem = new Semaphore(0);
 * Task<Void> waiter = Task.local(() -> sem.acquire(1));   // parks: no permit
 * sem.close();
 * waiter.join();                                         // throws ClosedException
 * }
 *
 * <p>It is an {@link IllegalStateException}, as the JDK's {@code ClosedSelectorException} and
 * {@code ClosedWatchServiceException} are: using a closed object is a protocol error of the caller.
 * Contention is never reported with an exception: the {@code try*} methods return {@code false}
 * or {@code null} instead.
 */
public class ClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was refused and why, e.g. {@code "Semaphore.acquire(2): the semaphore is closed"}
     */
    public ClosedException(String message) {
        super(message);
    }
}
