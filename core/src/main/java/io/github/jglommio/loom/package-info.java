/**
 * The one place that reaches into the JDK's virtual-thread internals: creating virtual threads
 * whose scheduler is a jglommio executor, and reading the current carrier thread.
 *
 * <p>JDK 25 has no public custom-scheduler API, so {@link io.github.jglommio.loom.Loom} uses the
 * package-private {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)} constructor and
 * {@code Thread.currentCarrierThread()} through a private lookup. When Loom's public scheduler API
 * arrives, only this package changes.
 *
 * <p>Threading: all methods are safe from any thread.
 */
package io.github.jglommio.loom;
