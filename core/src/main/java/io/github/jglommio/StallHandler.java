package io.github.jglommio;

/**
 * Receives stall reports (see {@link LocalExecutorBuilder#detectStalls}). Called on the stall
 * detector's own thread, at most once per stalled turn; it must not block for long.
 */
@FunctionalInterface
public interface StallHandler {

    /** Logs the report as a {@link System.Logger.Level#WARNING}, with the stalled task's stack trace. */
    StallHandler LOGGING = report -> System.getLogger(StallHandler.class.getName())
            .log(System.Logger.Level.WARNING, report.describe());

    void onStall(StallReport report);
}
