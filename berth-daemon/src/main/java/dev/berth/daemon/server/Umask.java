package dev.berth.daemon.server;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * umask(2), so that a unix socket is born with its final mode: chmod after bind leaves a moment
 * in which anyone could connect, and a connection made then would outlive the chmod.
 */
final class Umask {
    private static final MethodHandle UMASK = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("umask").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Umask() {}

    /** Sets the process umask and returns the previous one. */
    static int set(int mask) {
        try {
            return (int) UMASK.invokeExact(mask);
        } catch (Throwable t) {
            throw new IllegalStateException("umask", t);
        }
    }
}
