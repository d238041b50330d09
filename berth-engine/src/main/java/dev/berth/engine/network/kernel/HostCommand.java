package dev.berth.engine.network.kernel;

import dev.berth.oci.BerthException;
import dev.berth.runtime.api.Stdio;
import dev.berth.runtime.sys.Errno;
import dev.berth.runtime.sys.LinuxSyscalls;
import dev.berth.runtime.sys.Syscalls;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a host tool (a CNI plugin, iptables-restore, ip) with a clean environment, input on
 * stdin and a time limit, and collects what it printed. posix_spawn with pipes that are
 * close-on-exec on our side and every other fd closed in the child, not the JDK's
 * ProcessBuilder: the JDK makes its pipes without close-on-exec, so a berth-init spawned by
 * another thread at that moment inherits them, and a plugin waiting for the end of its stdin
 * then waits for that init, which (a start overlapping its network with the runtime's work)
 * waits for the plugin. Also one exec instead of two (the JDK's jspawnhelper, then the tool).
 * The child is reaped through a pidfd, so nothing here competes with the engine's waits.
 */
final class HostCommand {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final Syscalls SYS = new LinuxSyscalls();
    private static final int SIGKILL = 9;
    private static final int EPIPE = 32;
    /** What a pipe surely holds without a reader (one page): larger input is written by a thread of its own. */
    private static final int INLINE_INPUT = 4096;

    private HostCommand() {}

    record Result(int exit, String stdout, String stderr) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Runs argv with env (PATH added) and stdin; kills it after timeout. */
    static Result run(List<String> argv, Map<String, String> env, String stdin, Duration timeout) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", PATH);
        environment.putAll(env);
        long deadline = System.nanoTime() + timeout.toNanos();
        int[] in = null;
        int[] out = null;
        int[] err = null;
        int pidfd = -1;
        try {
            in = SYS.pipe();
            out = SYS.pipe();
            err = SYS.pipe();
            int pid;
            try {
                pid = SYS.spawnClean(program(argv.getFirst()), argv, environment, new Stdio(in[0], out[1], err[1]));
            } catch (Errno e) {
                throw BerthException.internal(argv.getFirst() + ": " + e.getMessage(), e);
            }
            pidfd = SYS.pidfdOpen(pid);
            in[0] = closed(in[0]);
            out[1] = closed(out[1]);
            err[1] = closed(err[1]);
            feed(in, stdin.getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            if (!drain(out[0], err[0], stdout, stderr, deadline) || !exited(pidfd, deadline)) {
                try {
                    SYS.pidfdSendSignal(pidfd, SIGKILL);
                } catch (Errno e) {
                    // exited meanwhile
                }
                // SIGKILL cannot be ignored: it is gone within moments, and then reaped
                exited(pidfd, System.nanoTime() + Duration.ofSeconds(10).toNanos());
                SYS.pidfdReap(pidfd);
                throw BerthException.internal(String.join(" ", argv) + ": timed out after " + timeout.toSeconds() + "s");
            }
            int status = SYS.pidfdReap(pidfd);
            int exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            return new Result(exit, stdout.toString(StandardCharsets.UTF_8).strip(), stderr.toString(StandardCharsets.UTF_8).strip());
        } finally {
            for (int[] p : new int[][] {in, out, err}) {
                if (p != null) {
                    closed(p[0]);
                    closed(p[1]);
                }
            }
            closed(pidfd);
        }
    }

    /** A bare name looked up in {@link #PATH} (posix_spawn, unlike posix_spawnp, takes a path). */
    private static Path program(String name) {
        if (name.contains("/")) {
            return Path.of(name);
        }
        for (String dir : PATH.split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw BerthException.unsupported(name + ": executable file not found in " + PATH);
    }

    /** Writes the input and closes our end (on a thread of its own when the pipe might not hold it). */
    private static void feed(int[] in, byte[] input) {
        int fd = in[1];
        in[1] = -1;
        if (input.length <= INLINE_INPUT) {
            writeAndClose(fd, input);
        } else {
            Thread.ofPlatform().daemon().name("berth-host-command-input").start(() -> writeAndClose(fd, input));
        }
    }

    private static void writeAndClose(int fd, byte[] input) {
        try {
            SYS.writeAll(fd, input);
        } catch (Errno e) {
            if (e.errno() != EPIPE) {
                throw e;
            }
            // it exited without reading all: its status and output say why
        } finally {
            closed(fd);
        }
    }

    /** Reads stdout and stderr to their ends; false when the deadline came first. */
    private static boolean drain(int outFd, int errFd, ByteArrayOutputStream out, ByteArrayOutputStream err, long deadline) {
        boolean outOpen = true;
        boolean errOpen = true;
        while (outOpen || errOpen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            int[] fds = outOpen && errOpen ? new int[] {outFd, errFd} : new int[] {outOpen ? outFd : errFd};
            boolean[] ready = SYS.pollIn(fds, (int) Math.min(Integer.MAX_VALUE, Math.max(1, left / 1_000_000)));
            for (int i = 0; i < fds.length; i++) {
                if (!ready[i]) {
                    continue;
                }
                byte[] chunk = SYS.read(fds[i], 65536);
                boolean isOut = fds[i] == outFd;
                if (chunk.length == 0) {
                    if (isOut) {
                        outOpen = false;
                    } else {
                        errOpen = false;
                    }
                } else {
                    (isOut ? out : err).write(chunk, 0, chunk.length);
                }
            }
        }
        return true;
    }

    /** Waits until the process has exited (its pidfd polls readable); false at the deadline. */
    private static boolean exited(int pidfd, long deadline) {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            if (SYS.pollIn(new int[] {pidfd}, (int) Math.min(Integer.MAX_VALUE, Math.max(1, left / 1_000_000)))[0]) {
                return true;
            }
        }
    }

    private static int closed(int fd) {
        if (fd >= 0) {
            try {
                SYS.close(fd);
            } catch (RuntimeException ignored) {
                // closing is all that is left to do with it
            }
        }
        return -1;
    }
}
