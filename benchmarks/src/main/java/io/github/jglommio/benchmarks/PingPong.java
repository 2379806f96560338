package io.github.jglommio.benchmarks;

import java.util.concurrent.locks.LockSupport;

/**
 * A ball passed between two threads with {@link LockSupport#park()}/{@link LockSupport#unpark}:
 * {@link #ping()} and {@link #pong()} each run in their own thread, jglommio tasks or JDK virtual
 * threads alike. One round trip is two hand-offs (ping to pong, pong back to ping). Single use.
 */
final class PingPong {

    private final int rounds;
    // Volatile because the JDK peer with several carriers runs the two sides on different cores.
    private volatile Thread pinger;
    private volatile Thread ponger;
    /** True while the ball is with pong. */
    private volatile boolean atPong;

    PingPong(int rounds) {
        this.rounds = rounds;
    }

    /** Serves {@code rounds} times and returns when the last ball came back. */
    void ping() {
        pinger = Thread.currentThread();
        while (ponger == null) {
            Thread.yield();    // pong has been started but has not run yet
        }
        Thread peer = ponger;
        for (int i = 0; i < rounds; i++) {
            atPong = true;
            LockSupport.unpark(peer);
            while (atPong) {
                LockSupport.park(this);
            }
        }
    }

    /** Returns the ball {@code rounds} times. */
    void pong() {
        ponger = Thread.currentThread();
        for (int i = 0; i < rounds; i++) {
            while (!atPong) {
                LockSupport.park(this);
            }
            atPong = false;
            // pinger is set: ping published it before it first handed the ball over.
            LockSupport.unpark(pinger);
        }
    }
}
