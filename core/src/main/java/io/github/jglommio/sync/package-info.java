/**
 * Synchronization between the tasks of one executor: {@link io.github.jglommio.sync.Semaphore},
 * {@link io.github.jglommio.sync.RwLock} and {@link io.github.jglommio.sync.Gate}, Glommio's
 * {@code glommio::sync}.
 *
 * {@snippet :
 * Semaphore sem = new Semaphore(2);
 * try (Semaphore.Permit p = sem.acquirePermit(1)) {   // parks this task only, when none is left
 *     work();
 * }
 * }
 *
 * <p>Why locks on one thread: tasks never run in parallel, but a task that parks (I/O, a timer,
 * a channel) lets the others run, so state that must stay consistent across a park still needs
 * mutual exclusion, and bursts of work still need bounding.
 *
 * <p>Threading model: every object here belongs to the executor of the task that created it
 * (creating one outside a task throws {@link java.lang.IllegalStateException}); every method
 * throws {@link java.lang.WrongThreadException} when called from another executor or a thread that
 * is not a task. Since all callers then run on that executor's single thread, the implementation
 * uses plain fields: no atomics and no locks; a wait-queue node is allocated only when a task has to
 * park. Waiting parks the task's virtual thread ({@code LockSupport.park}); the executor thread runs
 * the other tasks meanwhile. For coordination across executors use {@code io.github.jglommio.channels}.
 *
 * <p>Common rules:
 * <ul>
 *   <li>Fairness: waiters are served first come, first served; resources are handed to the woken
 *       task before it runs, so a newcomer cannot overtake it.</li>
 *   <li>Cancellation: a task cancelled ({@link io.github.jglommio.Task#cancel()}) while parked
 *       leaves the wait queue and throws {@link java.util.concurrent.CancellationException}, with its
 *       interrupt flag still set; anything already handed to it is given back. An operation that
 *       needs no wait succeeds even in a cancelled task.</li>
 *   <li>Closing: {@code close()} releases every parked task with {@link io.github.jglommio.sync.ClosedException}
 *       (the {@link io.github.jglommio.sync.Gate} instead waits for its tasks); later acquisitions
 *       throw it too.</li>
 *   <li>Contention is a return value: {@code tryAcquire} returns {@code false}, {@code tryRead} and
 *       {@code tryWrite} return {@code null}.</li>
 * </ul>
 */
package io.github.jglommio.sync;
