package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import dev.berth.runtime.plan.LaunchPlan;
import dev.berth.runtime.plan.SyncChannel;
import dev.berth.runtime.sys.LinuxSyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * berth-init through ProcessBuilder: its stdin and stdout are the sync pipes, and it copies our
 * stdio and preserved fds for the container with pidfd_getfd (a unix socket would cost ~20 ms
 * of a cold JVM's start-up: SecureRandom, InetAddress). No native binding is needed on
 * this path, so the CLI starts fast. With stay, stage 0 remains the container's parent,
 * forwards signals to it, and exits with its status.
 */
final class PipeInitLauncher implements InitLauncher {
    private final Path helper;

    PipeInitLauncher(Path helper) {
        this.helper = helper;
    }

    @Override
    public InitProcess launch(LaunchPlan plan, boolean stay, int preserveFds) {
        if (!Files.isExecutable(helper)) {
            throw BerthException.internal("berth-init helper not found at " + helper + " (build with ./mvnw package)");
        }
        ProcessBuilder pb = new ProcessBuilder(List.of(helper.toString(), "--pipes",
                Long.toString(ProcessHandle.current().pid()), Integer.toString(preserveFds), stay ? "1" : "0"));
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        java.lang.Process stage0;
        try {
            stage0 = pb.start();
        } catch (IOException e) {
            throw BerthException.internal("start berth-init " + helper + ": " + e.getMessage(), e);
        }
        SyncChannel channel = new SyncChannel(stage0.getInputStream(), stage0.getOutputStream(), new Streams(stage0));
        try {
            channel.send(SyncChannel.PLAN, plan.encode());
            int pid = channel.expect(SyncChannel.PID, "while creating namespaces").asInt();
            return new PipeInit(channel, pid, stage0, stay);
        } catch (RuntimeException e) {
            channel.close();
            stage0.destroyForcibly();
            waitFor(stage0);
            throw e;
        }
    }

    /** Closes our ends of stage 0's pipes (a named class: this is on the CLI's start-up path). */
    private static final class Streams implements AutoCloseable {
        private final java.lang.Process stage0;

        Streams(java.lang.Process stage0) {
            this.stage0 = stage0;
        }

        @Override
        public void close() throws IOException {
            stage0.getOutputStream().close();
            stage0.getInputStream().close();
        }
    }

    private static int waitFor(java.lang.Process p) {
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void reap(int pid) {
        // never our child: stage 0 or the caller's subreaper reaps it
    }

    private static final class PipeInit extends InitProcess {
        private final java.lang.Process stage0;
        private final boolean stay;

        PipeInit(SyncChannel channel, int pid, java.lang.Process stage0, boolean stay) {
            super(channel, pid);
            this.stage0 = stage0;
            this.stay = stay;
        }

        @Override
        void afterClose() {
            // stage 0 lingers until the child has exec'd (or is ready, for create): reap it
            if (!stay) {
                waitFor(stage0);
            }
        }

        @Override
        int waitExit() {
            return waitFor(stage0);
        }

        @Override
        void signal(int signal) {
            if (stage0.isAlive() && signal == 15) {
                stage0.destroy(); // SIGTERM, which stage 0 forwards
            } else if (stage0.isAlive()) {
                new LinuxSyscalls().kill((int) stage0.pid(), signal);
            } else {
                new LinuxSyscalls().kill(pid(), signal);
            }
        }

        @Override
        void kill() {
            ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
            if (stage0.isAlive()) {
                stage0.destroyForcibly();
            }
            waitFor(stage0);
        }
    }
}
