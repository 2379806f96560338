/**
 * The executor's I/O engine: in-flight operations, timers, sleeping in the kernel and being woken.
 *
 * <p>A {@link io.github.jglommio.reactor.Reactor} belongs to one executor thread. Tasks (virtual threads
 * mounted on that thread) call {@link io.github.jglommio.reactor.Reactor#submitAndAwait} and friends:
 * the operation becomes an SQE whose {@code user_data} names a slot; the task parks; the executor loop
 * reaps the CQE and unparks the task, which runs again on the same thread. Because every caller runs
 * on the owner thread, none of this state needs synchronization. The only cross-thread entry point is
 * {@link io.github.jglommio.reactor.Reactor#wakeIfSleeping()}.
 *
 * <p>Lifetimes: a slot keeps the operation's buffers reachable until its CQE arrives, even when the
 * waiting task is cancelled (cancellation submits {@code IORING_OP_ASYNC_CANCEL} and still waits for
 * the original CQE).
 */
package io.github.jglommio.reactor;
