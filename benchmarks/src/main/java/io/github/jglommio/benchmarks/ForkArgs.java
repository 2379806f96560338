package io.github.jglommio.benchmarks;

/** JVM arguments of the benchmark forks, as compile-time constants for {@code @Fork}. */
final class ForkArgs {

    /** Lets jglommio give its tasks' virtual threads their executor as scheduler. */
    static final String ADD_OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    /** Lets jglommio call io_uring through the FFM API without a warning. */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Silences the JDK 24+ warning about JMH 1.37's own use of the legacy Unsafe class. */
    static final String ALLOW_UNSAFE = "--sun-misc-unsafe-memory-access=allow";
    /**
     * Gives the JDK's default virtual-thread scheduler one carrier thread, as a jglommio executor has:
     * the single-carrier JDK peers run in a fork with this flag.
     */
    static final String ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1";

    private ForkArgs() {
    }
}
