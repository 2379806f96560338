/**
 * JMH micro-benchmarks of jglommio's public API, each measured against its closest JDK peer in the
 * same run, and {@link io.github.jglommio.benchmarks.BenchMain}, the entry point of the shaded
 * {@code benchmarks.jar}.
 *
 * <p>Threading: a jglommio benchmark runs its operations inside one executor started per trial by
 * {@link io.github.jglommio.benchmarks.ExecutorState}; the JMH thread hands each invocation a batch
 * of {@code N} operations through {@link io.github.jglommio.ExecutorHandle#submit} and waits, so the
 * cross-thread hand-off is paid once per batch. The JDK peer runs the same batch in one virtual
 * thread started and joined per invocation. Scores are per operation
 * ({@code @OperationsPerInvocation(N)}).
 *
 * <p>The {@code scheduling} suite is a plain Java harness instead
 * ({@code SchedulingSuite}): it runs jglommio executors on the calling
 * thread, one per measurement, and the JDK peer in child JVMs with a single-carrier scheduler
 * ({@link io.github.jglommio.benchmarks.JdkWakeLatency}).
 *
 * <p>The {@code storage} suite is a plain Java harness too
 * ({@code StorageSuite}): per workload (4 KiB random reads at queue depth 1 to 128, 128 KiB
 * sequential reads and writes), it interleaves fio (a child process), jglommio's {@code DmaFile} (an
 * executor on the calling thread, N tasks) and {@code FileChannel} with O_DIRECT on N platform or
 * virtual threads, and reports each one's median per-round ratio to fio.
 *
 * <p>Benchmarks use only the public packages {@code io.github.jglommio},
 * {@code io.github.jglommio.timer} and {@code io.github.jglommio.io}.
 */
package io.github.jglommio.benchmarks;
