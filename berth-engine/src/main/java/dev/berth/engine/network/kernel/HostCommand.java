package dev.berth.engine.network.kernel;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host tool (a CNI plugin, iptables-restore, ip) with a clean environment, input on
 * stdin and a time limit, and collects what it printed. The JDK's process reaper waits for
 * exactly this child, so nothing here competes with the engine's pidfd waits.
 */
final class HostCommand {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private HostCommand() {}

    record Result(int exit, String stdout, String stderr) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Runs argv with env (PATH added) and stdin; kills it after timeout. */
    static Result run(List<String> argv, Map<String, String> env, String stdin, Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().put("PATH", PATH);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw BerthException.internal(argv.getFirst() + ": " + e.getMessage(), e);
        }
        try {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()),
                    Thread::startVirtualThread);
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()),
                    Thread::startVirtualThread);
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // it exited without reading all: its status and output say why
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw BerthException.internal(String.join(" ", argv) + ": timed out after " + timeout.toSeconds() + "s");
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8).strip(),
                    new String(err.join(), StandardCharsets.UTF_8).strip());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw BerthException.internal(argv.getFirst() + ": interrupted", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
