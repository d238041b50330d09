package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import dev.berth.runtime.plan.LaunchPlan;
import dev.berth.runtime.plan.SyncChannel;
import dev.berth.runtime.sys.LinuxSyscalls;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * berth-init through ProcessBuilder with our stdio; it connects back to a unix socket we listen
 * on (the sync channel) and copies the preserved fds for the container with pidfd_getfd. No native binding is needed on
 * this path, so the CLI starts fast. With stay, stage 0 remains the container's parent,
 * forwards signals to it, and exits with its status.
 */
final class PipeInitLauncher implements InitLauncher {
    private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();
    private final Path helper;
    private final Path socketDir;

    /** socketDir holds the short-lived sync sockets (the runtime's root; paths must stay under 108 bytes). */
    PipeInitLauncher(Path helper, Path socketDir) {
        this.helper = helper;
        this.socketDir = socketDir;
    }

    @Override
    public InitProcess launch(LaunchPlan plan, boolean stay, int preserveFds) {
        if (!Files.isExecutable(helper)) {
            throw BerthException.internal("berth-init helper not found at " + helper + " (build with ./mvnw package)");
        }
        Path socketPath = socketDir.resolve(".init-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + ".sock");
        ServerSocketChannel server;
        try {
            Files.createDirectories(socketDir);
            Files.deleteIfExists(socketPath);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            throw BerthException.internal("listen on " + socketPath + ": " + e.getMessage(), e);
        }
        java.lang.Process stage0 = null;
        SocketChannel socket = null;
        try {
            ProcessBuilder pb = new ProcessBuilder(List.of(helper.toString(), "--connect", socketPath.toString(),
                    Long.toString(ProcessHandle.current().pid()), Integer.toString(preserveFds), stay ? "1" : "0"));
            pb.inheritIO();
            stage0 = pb.start();
            socket = accept(server, stage0, socketPath);
        } catch (IOException e) {
            throw BerthException.internal("start berth-init " + helper + ": " + e.getMessage(), e);
        } finally {
            try {
                server.close();
                Files.deleteIfExists(socketPath);
            } catch (IOException ignored) {
                // a leftover socket file is harmless; the next launch replaces it
            }
            if (socket == null && stage0 != null) {
                stage0.destroyForcibly();
                waitFor(stage0);
            }
        }
        SocketChannel connected = socket;
        SyncChannel channel = new SyncChannel(Channels.newInputStream(connected), Channels.newOutputStream(connected), connected);
        try {
            channel.send(SyncChannel.PLAN, plan.encode());
            int pid = channel.expect(SyncChannel.PID, "while creating namespaces").asInt();
            if (!stay) {
                waitFor(stage0);
            }
            return new PipeInit(channel, pid, stage0);
        } catch (RuntimeException e) {
            channel.close();
            stage0.destroyForcibly();
            waitFor(stage0);
            throw e;
        }
    }

    /** Accepts berth-init's connection, or fails if it exits first. */
    private static SocketChannel accept(ServerSocketChannel server, java.lang.Process stage0, Path path) throws IOException {
        server.configureBlocking(false);
        while (true) {
            SocketChannel s = server.accept();
            if (s != null) {
                s.configureBlocking(true);
                return s;
            }
            if (!stage0.isAlive()) {
                throw new IOException("berth-init exited with status " + waitFor(stage0) + " before connecting to " + path);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(0, 100_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
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

        PipeInit(SyncChannel channel, int pid, java.lang.Process stage0) {
            super(channel, pid);
            this.stage0 = stage0;
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
