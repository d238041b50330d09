package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import dev.berth.runtime.plan.SyncChannel;

/**
 * One run of berth-init, after stage 0 reported the new process's pid. The caller places the
 * pid in cgroups, runs hooks, and lets it go. Closing releases the channel; if the process
 * was never released, closing kills it.
 */
abstract class InitProcess implements AutoCloseable {
    private final SyncChannel channel;
    private final int pid;
    private boolean released;

    InitProcess(SyncChannel channel, int pid) {
        this.channel = channel;
        this.pid = pid;
    }

    final int pid() {
        return pid;
    }

    /** Lets the process run its plan; hookState is the state JSON its in-container hooks read. */
    final void go(byte[] hookState) {
        channel.send(SyncChannel.GO, hookState);
    }

    /** Waits until the process has made the container's mounts and asks for the runtime's hooks. */
    final void awaitHooks() {
        channel.expect(SyncChannel.HOOKS, "while setting up the container");
    }

    final void awaitReady() {
        channel.expect(SyncChannel.READY, "while setting up the container");
    }

    final void start() {
        channel.send(SyncChannel.START, new byte[0]);
    }

    /** Waits until the process has called execve (the channel closes on exec) or failed. */
    final void awaitExec() {
        var m = channel.receive();
        if (m.isPresent()) {
            if (m.get().type() == SyncChannel.ERROR) {
                throw BerthException.internal(m.get().text());
            }
            throw BerthException.internal("berth-init sent message " + m.get().type() + " instead of executing");
        }
    }

    /** From now on the process lives on its own; close only drops our end of the channel. */
    final void release() {
        released = true;
    }

    /** Waits for the process to exit (launched with stay): its exit code, 128+n for signal n. */
    abstract int waitExit();

    /** Sends a signal to the process (through stage 0 where it stays as the parent). */
    abstract void signal(int signal);

    /** Kills the never-released process and reaps what is ours to reap. */
    abstract void kill();

    /** What closing must do besides dropping the channel (reap a lingering stage 0). */
    void afterClose() {
    }

    @Override
    public final void close() {
        channel.close();
        if (!released) {
            kill();
        } else {
            afterClose();
        }
    }
}
