/**
 * Data structures with a built-in feedback controller that sets their task queue's
 * {@linkplain io.github.jglommio.Shares shares}: Glommio's {@code controllers} module.
 *
 * <p>{@link io.github.jglommio.controllers.DeadlineQueue} runs background work (flushing a file,
 * compacting, scanning) in a task queue of its own and keeps re-computing that queue's shares so the
 * work finishes by its deadline while taking as little CPU as possible from the rest of the
 * application. The work describes itself through {@link io.github.jglommio.controllers.DeadlineSource}:
 * how long it may take, how many units it has, and how many it has processed so far.
 *
 * <p>Threading: everything here belongs to the executor of the task that created it. Public methods
 * must be called from that executor's tasks and throw {@link java.lang.WrongThreadException}
 * elsewhere. The controller itself ({@link io.github.jglommio.SharesManager#shares()}) runs on the
 * executor thread, between tasks, when the scheduler re-reads the queue's shares; that is why
 * {@link io.github.jglommio.controllers.DeadlineSource#totalUnits()} and
 * {@link io.github.jglommio.controllers.DeadlineSource#processedUnits()} must be quick and must not
 * block. As all of it runs on one thread, no state here needs locks, atomics or fences.
 *
 * <p>Design: the controller is a PI controller (no derivative term) on the normalized error
 * {@code E = 1 - processed / expected}, where {@code expected} is how many units of the queued work
 * should be done by now if every item progressed linearly from its push to its deadline. Its output
 * is a change of shares, {@code Ki * E + Kp * dE}, added to the previous output and clamped to the
 * minimum shares (1, or 250 while a {@link io.github.jglommio.controllers.PriorityBump} is open) and
 * 1000. {@code Kp = 850} and {@code Ki = Kp / 6}: a full error moves shares by about 1000, and the
 * integral term matches the proportional one after about six adjustment periods. Work more than five
 * seconds past its deadline pins the shares at 1000.
 */
package io.github.jglommio.controllers;
