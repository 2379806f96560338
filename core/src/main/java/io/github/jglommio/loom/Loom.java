package io.github.jglommio.loom;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;

/**
 * Virtual threads scheduled by a given {@link Executor}, and the current carrier thread.
 *
 * <p>Needs {@code --add-opens java.base/java.lang=<module>} (for the private lookup into
 * {@code java.lang}) and {@code --enable-native-access=<module>} (for io_uring through FFM), where
 * {@code <module>} is {@code ALL-UNNAMED} on the class path or {@code io.github.jglommio} on the module
 * path. {@link #checkAvailable()} explains exactly which flag is missing.
 */
public final class Loom {

    private static final MethodHandle NEW_BUILDER;
    private static final MethodHandle CURRENT_CARRIER;
    private static final Throwable UNAVAILABLE;

    static {
        MethodHandle builder = null;
        MethodHandle carrier = null;
        Throwable failure = null;
        try {
            Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            builder = lookup.findConstructor(builderClass, MethodType.methodType(void.class, Executor.class))
                    .asType(MethodType.methodType(Thread.Builder.OfVirtual.class, Executor.class));
            carrier = lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = e;
        }
        NEW_BUILDER = builder;
        CURRENT_CARRIER = carrier;
        UNAVAILABLE = failure;
    }

    private Loom() {
    }

    /** The module name to use in JVM flags: this module's name, or {@code ALL-UNNAMED} on the class path. */
    public static String moduleFlagTarget() {
        Module m = Loom.class.getModule();
        return m.isNamed() ? m.getName() : "ALL-UNNAMED";
    }

    /** The exact JVM flags jglommio needs, for error messages and docs. */
    public static String requiredFlags() {
        String target = moduleFlagTarget();
        return "--add-opens java.base/java.lang=" + target + " --enable-native-access=" + target;
    }

    /**
     * Throws {@link IllegalStateException} naming the missing JVM flag(s) when custom-scheduler
     * virtual threads or native access are not available.
     */
    public static void checkAvailable() {
        StringBuilder missing = new StringBuilder();
        if (UNAVAILABLE != null) {
            missing.append("--add-opens java.base/java.lang=").append(moduleFlagTarget());
        }
        if (!Loom.class.getModule().isNativeAccessEnabled()) {
            if (!missing.isEmpty()) {
                missing.append(' ');
            }
            missing.append("--enable-native-access=").append(moduleFlagTarget());
        }
        if (!missing.isEmpty()) {
            IllegalStateException e = new IllegalStateException("jglommio needs these JVM flags: " + missing
                    + " (all flags it needs: " + requiredFlags() + "). Java " + Runtime.version().feature()
                    + " has no public API for virtual threads with a custom scheduler, so jglommio opens "
                    + "java.lang to reach it, and it calls io_uring through the FFM API.");
            if (UNAVAILABLE != null) {
                e.initCause(UNAVAILABLE);
            }
            throw e;
        }
    }

    /** True when {@link #checkAvailable()} would not throw. */
    public static boolean isAvailable() {
        return UNAVAILABLE == null && Loom.class.getModule().isNativeAccessEnabled();
    }

    /**
     * A builder of virtual threads whose continuations run through {@code scheduler.execute}.
     * The builder is not thread-safe; its {@code factory()} is.
     */
    public static Thread.Builder.OfVirtual virtualThreadBuilder(Executor scheduler) {
        checkAvailable();
        try {
            return (Thread.Builder.OfVirtual) NEW_BUILDER.invokeExact(scheduler);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot create a virtual-thread builder", t);
        }
    }

    /**
     * The platform thread currently running the caller: the caller itself when it is a platform
     * thread, the carrier when it is a mounted virtual thread.
     */
    public static Thread currentCarrierThread() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
