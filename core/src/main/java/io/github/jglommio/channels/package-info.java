/**
 * Message passing: {@link io.github.jglommio.channels.LocalChannel} between the tasks of one
 * executor, and shared channels, channel meshes and sharding between executors; Glommio's
 * {@code glommio::channels}.
 *
 * {@snippet :
 * LocalChannel<String> ch = LocalChannel.newBounded(16);   // within one executor
 * Task<Void> consumer = Task.local(() -> {
 *     for (String s; (s = ch.recv()) != null; ) {           // null: closed and drained
 *         handle(s);
 *     }
 * });
 * ch.send("hello");                                        // parks while 16 are buffered
 * ch.close();
 * consumer.join();
 * }
 *
 * <p>Threading model. The type name says the contract:
 * <ul>
 *   <li>{@code Local*} types belong to the executor of the task that created them (creating one
 *       outside a task throws {@link java.lang.IllegalStateException}) and throw
 *       {@link java.lang.WrongThreadException} when used from another executor or a thread that is
 *       not a task. All their callers run on that executor's single thread, so they use plain
 *       fields: no atomics, no locks, no cross-thread wakeups.</li>
 *   <li>{@code Shared*} channels and meshes connect executors. Each end is connected by, and then
 *       bound to, one executor; the ends meet in a lock-free queue and wake each other through the
 *       target executor's inbox (DESIGN.md §3).</li>
 * </ul>
 *
 * <p>Common rules: waiting parks only the calling task (its virtual thread), never the executor.
 * Back-pressure is a return value ({@code trySend} returns {@code false} when full), never an
 * exception. Sending into a closed channel throws {@link io.github.jglommio.channels.ChannelClosedException};
 * receiving from a closed channel drains what is buffered, then returns {@code null}. A task
 * cancelled while parked throws {@link java.util.concurrent.CancellationException} with its
 * interrupt flag still set, and no message is lost or duplicated by the cancellation.
 */
package io.github.jglommio.channels;
