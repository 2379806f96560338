package io.github.jglommio.reactor;

/**
 * One timer of a reactor: a deadline and the task waiting for it. Created and used on the reactor's
 * thread only. Re-armable: {@link Reactor#arm} replaces the deadline of an armed entry.
 */
public final class TimerEntry {

    final TimerQueue.Entry node = new TimerQueue.Entry();

    /** The armed deadline in {@link System#nanoTime()} units. */
    public long deadlineNs() {
        return node.deadlineNs;
    }

    /** True once the deadline has passed and the timer fired (until re-armed). */
    public boolean fired() {
        return node.fired;
    }

    /** True while armed and not yet fired. */
    public boolean armed() {
        return node.index >= 0;
    }
}
