/**
 * Timers on the executor's own timer heap: {@link io.github.jglommio.timer.Timer#sleep},
 * {@link io.github.jglommio.timer.Timer#timeout}, re-armable {@link io.github.jglommio.timer.Timer}s, and
 * timer-driven actions ({@link io.github.jglommio.timer.TimerActionOnce},
 * {@link io.github.jglommio.timer.TimerActionRepeat}).
 *
 * <p>Threading: every type here belongs to the executor of the task that created it and must be used
 * from that executor's tasks ({@link java.lang.WrongThreadException} otherwise). Timers fire on the
 * executor thread; the executor sleeps in {@code io_uring_enter} until the nearest deadline, so no
 * JDK timer thread is involved.
 */
package io.github.jglommio.timer;
