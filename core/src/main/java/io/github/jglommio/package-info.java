/**
 * jglommio: a thread-per-core, io_uring-based runtime for Java 25 on Linux, the Java counterpart of
 * Glommio.
 *
 * <p>An {@link io.github.jglommio.LocalExecutor} is one platform thread with one io_uring; its
 * {@link io.github.jglommio.Task}s are virtual threads scheduled only by it, written in plain blocking
 * style. Executors share nothing on the hot path; other threads reach one through its
 * {@link io.github.jglommio.ExecutorHandle}.
 *
 * <p>Threading: unless a method says otherwise, executor-bound objects are used from the tasks of
 * their executor and throw {@link java.lang.WrongThreadException} elsewhere.
 *
 * <p>JVM flags: {@code --add-opens java.base/java.lang=ALL-UNNAMED --enable-native-access=ALL-UNNAMED}
 * (use the module name {@code io.github.jglommio} instead of {@code ALL-UNNAMED} on the module path).
 */
package io.github.jglommio;
