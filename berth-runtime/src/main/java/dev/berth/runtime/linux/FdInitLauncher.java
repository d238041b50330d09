package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import dev.berth.runtime.plan.LaunchPlan;
import dev.berth.runtime.plan.SyncChannel;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.FdStreams;
import dev.berth.runtime.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** berth-init through posix_spawn (FFM) with a socketpair; the process becomes our child. */
final class FdInitLauncher implements InitLauncher {
    private final Syscalls sys;
    private final Path helper;

    FdInitLauncher(Syscalls sys, Path helper) {
        this.sys = sys;
        this.helper = helper;
    }

    @Override
    public InitProcess launch(LaunchPlan plan, boolean stay, int preserveFds) {
        return launch(plan, stay, preserveFds, dev.berth.runtime.api.Stdio.INHERIT);
    }

    @Override
    public InitProcess launch(LaunchPlan plan, boolean stay, int preserveFds, dev.berth.runtime.api.Stdio stdio) {
        if (!Files.isExecutable(helper)) {
            throw BerthException.internal("berth-init helper not found at " + helper + " (build with ./mvnw package)");
        }
        int[] pair = sys.socketPair();
        int stage0;
        try {
            int[] keep = new int[preserveFds + 1];
            keep[0] = pair[1];
            for (int i = 0; i < preserveFds; i++) {
                keep[i + 1] = 3 + i;
            }
            stage0 = sys.spawn(helper, List.of("berth-init", Integer.toString(pair[1])), keep, stdio);
        } catch (RuntimeException e) {
            sys.close(pair[0]);
            sys.close(pair[1]);
            throw e;
        }
        sys.close(pair[1]);
        int fd = pair[0];
        SyncChannel channel = new SyncChannel(FdStreams.in(sys, fd), FdStreams.out(sys, fd), () -> sys.close(fd));
        try {
            channel.send(SyncChannel.PLAN, plan.encode());
            int pid = channel.expect(SyncChannel.PID, "while creating namespaces").asInt();
            return new FdInit(channel, pid);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        } finally {
            // stage 0 exits right after reporting the pid (or failing): reap it
            sys.waitPid(stage0);
        }
    }

    @Override
    public void reap(int pid) {
        try {
            sys.waitPidNoHang(pid);
        } catch (Errno ignored) {
            // not our child
        }
    }

    private final class FdInit extends InitProcess {
        FdInit(SyncChannel channel, int pid) {
            super(channel, pid);
        }

        @Override
        int waitExit() {
            return LinuxContainerRuntime.exitCode(sys.waitPid(pid()));
        }

        @Override
        void signal(int signal) {
            sys.kill(pid(), signal);
        }

        @Override
        void kill() {
            try {
                sys.kill(pid(), 9);
            } catch (RuntimeException ignored) {
                // already gone
            }
            try {
                sys.waitPid(pid());
            } catch (RuntimeException ignored) {
                // not our child any more
            }
        }
    }
}
