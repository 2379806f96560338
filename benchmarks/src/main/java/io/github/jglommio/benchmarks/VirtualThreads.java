package io.github.jglommio.benchmarks;

import java.util.concurrent.ThreadFactory;

/** The JDK side of the comparisons: work on virtual threads of the JDK's default scheduler. */
final class VirtualThreads {

    /** Virtual threads of the default scheduler, built once so the benchmarks do not time the builder. */
    static final ThreadFactory FACTORY = Thread.ofVirtual().factory();

    private VirtualThreads() {
    }

    /**
     * Runs {@code work} in a new virtual thread and waits for it: the JDK counterpart of
     * {@link ExecutorState#run}. Rethrows what {@code work} threw.
     */
    static void run(Runnable work) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread t = FACTORY.newThread(() -> {
            try {
                work.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        if (failure[0] instanceof RuntimeException e) {
            throw e;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
    }
}
