package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Hook;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the hooks that execute in the runtime's namespace (prestart, createRuntime, poststart,
 * poststop) with the container's state JSON on stdin (runtime.md "Lifecycle", config.md
 * "POSIX-platform Hooks"). createContainer and startContainer run inside the container, in
 * berth-init. A hook whose args[0] is not its path goes through {@code berth-init --exec}: Java
 * cannot set argv[0] apart from the program, and some hooks dispatch on it (dockerd's
 * prestart hook is /proc/PID/exe with args[0] "libnetwork-setkey").
 */
final class HookRunner {
    private HookRunner() {}

    static void run(Path helper, String phase, List<Hook> hooks, String stateJson) {
        for (Hook h : hooks) {
            runOne(helper, phase, h, stateJson);
        }
    }

    /** The command line that runs a hook with its own argv[0]. */
    static List<String> command(Path helper, Hook h) {
        if (h.args().isEmpty() || h.args().getFirst().equals(h.path())) {
            List<String> argv = new ArrayList<>(h.args().isEmpty() ? List.of(h.path()) : h.args());
            argv.set(0, h.path());
            return argv;
        }
        List<String> argv = new ArrayList<>(List.of(helper.toString(), "--exec", h.path()));
        argv.addAll(h.args());
        return argv;
    }

    private static void runOne(Path helper, String phase, Hook h, String stateJson) {
        ProcessBuilder pb = new ProcessBuilder(command(helper, h));
        Map<String, String> env = pb.environment();
        env.clear();
        for (String e : h.env()) {
            int eq = e.indexOf('=');
            if (eq > 0) {
                env.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            java.lang.Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(stateJson.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // a hook that does not read its stdin is fine
            }
            boolean done = h.timeout() == null ? p.waitFor() >= Integer.MIN_VALUE
                    : p.waitFor(h.timeout(), TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor();
                throw BerthException.internal(phase + " hook " + h.path() + ": timed out after " + h.timeout() + " seconds");
            }
            if (p.exitValue() != 0) {
                throw BerthException.internal(phase + " hook " + h.path() + ": exit status " + p.exitValue());
            }
        } catch (IOException e) {
            throw BerthException.internal(phase + " hook " + h.path() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.internal(phase + " hook " + h.path() + ": interrupted", e);
        }
    }
}
