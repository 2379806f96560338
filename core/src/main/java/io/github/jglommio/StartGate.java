package io.github.jglommio;

import java.util.concurrent.CountDownLatch;

/**
 * Makes a pool's start all-or-nothing: each executor arrives after its setup (pinning, ring) and
 * waits for the others; user code runs only when every executor arrived without failure.
 */
final class StartGate {

    private final CountDownLatch arrivals;
    private volatile Throwable failure;

    StartGate(int executors) {
        this.arrivals = new CountDownLatch(executors);
    }

    /** Records an executor's setup result; {@code failed} is null on success. */
    void arrive(Throwable failed) {
        if (failed != null && failure == null) {
            failure = failed;
        }
        arrivals.countDown();
    }

    /** Arrives successfully and waits for everyone; true when all succeeded. */
    boolean arriveAndAwait() {
        arrive(null);
        return awaitAll();
    }

    /** Waits for every executor to arrive; true when all succeeded. */
    boolean awaitAll() {
        boolean interrupted = false;
        while (true) {
            try {
                arrivals.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failure == null;
    }

    Throwable failure() {
        return failure;
    }
}
