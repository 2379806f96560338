package io.github.jglommio.controllers;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control law alone, on a made-up clock: no executor, no timing. */
class DeadlineControllerTest {

    private static final long T0 = 1_000_000_000_000L;
    private static final long MS = 1_000_000L;

    private static DeadlineController controller() {
        return new DeadlineController(Duration.ofMillis(250));
    }

    private static TestSource admit(DeadlineController c, long atNs, Duration expected, long total) {
        TestSource s = new TestSource(expected, total);
        c.admit(s, expected.toNanos(), atNs);
        return s;
    }

    @Test
    void shouldRaiseSharesWhenWorkIsBehind() {
        DeadlineController c = controller();
        admit(c, T0, Duration.ofSeconds(1), 1000);
        int first = c.shares(T0 + 100 * MS);
        // Nothing processed: the error is 1, so the step is Ki + Kp on top of the initial 1 share.
        assertEquals(Math.round(1 + DeadlineController.KI + DeadlineController.KP), first);
        int second = c.shares(T0 + 200 * MS);
        assertTrue(second > first, "still behind, shares should keep rising: " + first + " -> " + second);
        assertEquals(1000, c.shares(T0 + 300 * MS), "the integral term pushes to the maximum");
    }

    @Test
    void shouldLowerSharesToTheMinimumWhenWorkIsAhead() {
        DeadlineController c = controller();
        TestSource s = admit(c, T0, Duration.ofSeconds(1), 1000);
        assertTrue(c.shares(T0 + 100 * MS) > 900);
        s.processed = 900; // 900 units done when 200 were due
        assertEquals(1, c.shares(T0 + 200 * MS));
    }

    @Test
    void shouldKeepSharesSteadyWhileWorkIsOnPace() {
        DeadlineController c = controller();
        TestSource s = admit(c, T0, Duration.ofSeconds(1), 1000);
        c.shares(T0 + 100 * MS); // behind: jumps up
        s.processed = 200;
        int onPace = c.shares(T0 + 200 * MS); // the error falls to 0: the proportional term gives back its step
        assertTrue(onPace > 1 && onPace < 1000, "on pace after being behind: " + onPace);
        for (int ms = 300; ms <= 900; ms += 100) {
            s.processed = ms; // exactly one unit per millisecond, the pace to the deadline
            assertEquals(onPace, c.shares(T0 + ms * MS), "at " + ms + " ms");
        }
    }

    @Test
    void shouldKeepTheLastSharesWhenTooLittleIsExpectedYet() {
        DeadlineController c = controller();
        admit(c, T0, Duration.ofSeconds(1), 1);
        // 1 unit over 1 s: after 1 ms only 0.001 units are due, too few to judge the speed.
        assertEquals(1, c.shares(T0 + MS));
        DeadlineController empty = controller();
        assertEquals(1, empty.shares(T0 + 100 * MS), "no work, no change");
        DeadlineController zeroUnits = controller();
        admit(zeroUnits, T0, Duration.ofSeconds(1), 0);
        assertEquals(1, zeroUnits.shares(T0 + 500 * MS), "zero total units must not divide by zero");
    }

    @Test
    void shouldCountEarlierQueuedWorkInThePace() {
        // Glommio's "second queued item increases slope": a big item behind a tiny one rushes both.
        DeadlineController c = controller();
        admit(c, T0, Duration.ofSeconds(1), 1);
        int firstOnly = c.shares(T0 + 2 * MS);
        admit(c, T0 + 2 * MS, Duration.ofSeconds(1), 1000);
        int both = c.shares(T0 + 4 * MS);
        assertTrue(both >= 20 * firstOnly, "one item: " + firstOnly + ", two items: " + both);
    }

    @Test
    void shouldTreatAZeroDurationAsDueNow() {
        DeadlineController c = controller();
        admit(c, T0, Duration.ZERO, 10);
        assertTrue(c.shares(T0) > 900, "all 10 units are due at once and none is done");
    }

    @Test
    void shouldGoToFullSharesWhenWorkIsLongOverdue() {
        DeadlineController c = controller();
        TestSource s = admit(c, T0, Duration.ofSeconds(1), 1000);
        s.processed = 1000; // reported done, but the action has not returned
        assertEquals(1, c.shares(T0 + 5_000 * MS), "4 s late with everything processed: no error");
        assertEquals(1000, c.shares(T0 + 6_100 * MS), "more than 5 s past the deadline");
    }

    @Test
    void shouldFollowTheStatusAndThePriorityBump() {
        DeadlineController c = controller();
        TestSource s = admit(c, T0, Duration.ofSeconds(1), 1000);
        s.processed = 1000;
        long now = T0 + 200 * MS; // a fixed time keeps the error constant: only the integral term acts
        assertEquals(1, c.shares(now));
        c.status(new ControllerStatus.Disabled(77));
        assertEquals(77, c.shares(now));
        c.status(ControllerStatus.ENABLED);
        assertEquals(1, c.shares(now));
        c.bump();
        c.bump();
        assertEquals(DeadlineController.BUMPED_MIN_SHARES, c.shares(now));
        c.unbump();
        assertEquals(DeadlineController.BUMPED_MIN_SHARES, c.shares(now), "one bump is still open");
        c.unbump();
        assertEquals(1, c.shares(now));
        assertThrows(IllegalArgumentException.class, () -> new ControllerStatus.Disabled(0));
        assertThrows(IllegalArgumentException.class, () -> new ControllerStatus.Disabled(1001));
    }

    @Test
    void shouldRejectADeadlineEarlierThanOneAdmittedBefore() {
        DeadlineController c = controller();
        admit(c, T0, Duration.ofSeconds(2), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> admit(c, T0 + MS, Duration.ofSeconds(1), 1));
        assertTrue(e.getMessage().contains("must not decrease"), e.getMessage());
        assertEquals(1, c.queue.size(), "rejected work is not queued");
        admit(c, T0 + MS, Duration.ofMillis(1999), 1); // exactly the same deadline is fine
        c.queue.clear();
        // Unlike Glommio, finished work does not constrain later deadlines.
        admit(c, T0 + 2 * MS, Duration.ofSeconds(1), 1);
        assertEquals(1, c.queue.size());
    }
}
