package io.github.jglommio.controllers;

import java.time.Duration;
import java.util.concurrent.Callable;

/** A {@link DeadlineSource} whose units and action the test sets. Executor thread only. */
final class TestSource implements DeadlineSource<Integer> {

    Duration expected;
    long total;
    long processed;
    Callable<Integer> action = () -> 0;

    TestSource(Duration expected, long total) {
        this.expected = expected;
        this.total = total;
    }

    TestSource withAction(Callable<Integer> action) {
        this.action = action;
        return this;
    }

    @Override
    public Duration expectedDuration() {
        return expected;
    }

    @Override
    public Integer action() throws Exception {
        return action.call();
    }

    @Override
    public long totalUnits() {
        return total;
    }

    @Override
    public long processedUnits() {
        return processed;
    }
}
