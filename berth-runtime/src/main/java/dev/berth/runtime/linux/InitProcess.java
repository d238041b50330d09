package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import dev.berth.runtime.plan.LaunchPlan;
import dev.berth.runtime.plan.SyncChannel;
import dev.berth.runtime.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One run of berth-init: spawn it with a socket, hand it the plan, learn the new process's pid.
 * The caller then places the pid in cgroups, runs hooks, and lets it go. Closing releases the
 * socket; if the process never got going, closing kills it.
 */
final class InitProcess implements AutoCloseable {
    private final Syscalls sys;
    private final SyncChannel channel;
    private final int pid;
    private boolean released;

    private InitProcess(Syscalls sys, SyncChannel channel, int pid) {
        this.sys = sys;
        this.channel = channel;
        this.pid = pid;
    }

    /** Spawns berth-init and runs stage 0: returns once the new process exists. */
    static InitProcess launch(Syscalls sys, Path helper, LaunchPlan plan, int[] alsoKeep) {
        if (!Files.isExecutable(helper)) {
            throw BerthException.internal("berth-init helper not found at " + helper + " (build with ./mvnw package)");
        }
        int[] pair = sys.socketPair();
        int stage0;
        try {
            int[] keep = new int[alsoKeep.length + 1];
            keep[0] = pair[1];
            System.arraycopy(alsoKeep, 0, keep, 1, alsoKeep.length);
            stage0 = sys.spawn(helper, List.of("berth-init", Integer.toString(pair[1])), keep);
        } catch (RuntimeException e) {
            sys.close(pair[0]);
            sys.close(pair[1]);
            throw e;
        }
        sys.close(pair[1]);
        SyncChannel channel = new SyncChannel(sys, pair[0]);
        try {
            channel.send(SyncChannel.PLAN, plan.encode());
            int pid = channel.expect(SyncChannel.PID, "while creating namespaces").asInt();
            return new InitProcess(sys, channel, pid);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        } finally {
            // stage 0 exits right after reporting the pid (or failing): reap it
            sys.waitPid(stage0);
        }
    }

    int pid() {
        return pid;
    }

    SyncChannel channel() {
        return channel;
    }

    /** Lets the process run its plan; hookState is the state JSON its in-container hooks read. */
    void go(byte[] hookState) {
        channel.send(SyncChannel.GO, hookState);
    }

    void awaitReady() {
        channel.expect(SyncChannel.READY, "while setting up the container");
    }

    void start() {
        channel.send(SyncChannel.START, new byte[0]);
    }

    /** Waits until the process has called execve (the socket closes on exec) or failed. */
    void awaitExec() {
        var m = channel.receive();
        if (m.isPresent()) {
            if (m.get().type() == SyncChannel.ERROR) {
                throw BerthException.internal(m.get().text());
            }
            throw BerthException.internal("berth-init sent message " + m.get().type() + " instead of executing");
        }
    }

    /** From now on the process lives on its own; close only drops our socket. */
    void release() {
        released = true;
    }

    @Override
    public void close() {
        channel.close();
        if (!released) {
            try {
                sys.kill(pid, 9);
            } catch (RuntimeException ignored) {
                // already gone
            }
            try {
                sys.waitPid(pid);
            } catch (RuntimeException ignored) {
                // not our child any more
            }
        }
    }
}
