package dev.berth.engine.network.kernel;

import dev.berth.oci.BerthException;
import dev.berth.runtime.sys.Syscalls;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task inside a network namespace on a fresh platform thread that does nothing else and
 * ends afterwards (DESIGN.md "Traps": setns and unshare change the calling thread only, and a
 * virtual thread would carry the namespace to whatever runs on its carrier next). The thread is
 * never returned to a pool, so no other code ever runs in the namespace by accident.
 */
public final class NetnsThread {
    private NetnsThread() {}

    /** Runs task in the namespace pinned at netns (setns by an fd opened on it). */
    public static <T> T inNetns(Syscalls sys, Path netns, Callable<T> task) {
        return onFreshThread("berth-netns", () -> {
            int fd = sys.open(netns, Syscalls.O_RDONLY);
            try {
                sys.setns(fd, Syscalls.CLONE_NEWNET);
            } finally {
                sys.close(fd);
            }
            return task.call();
        });
    }

    /** Runs task on a new platform thread and waits for it; its exception is rethrown here. */
    public static <T> T onFreshThread(String name, Callable<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name(name).daemon().unstarted(() -> {
            try {
                result.set(task.call());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                // the thread holds kernel state (a namespace): wait for it to finish regardless
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw BerthException.internal(name + ": " + e.getMessage(), e);
        }
        return result.get();
    }
}
