package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Hook;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the hooks that execute in the runtime's namespace (prestart, createRuntime, poststart,
 * poststop) with the container's state JSON on stdin (runtime.md "Lifecycle", config.md
 * "POSIX-platform Hooks"). createContainer and startContainer run inside the container, in
 * berth-init.
 */
final class HookRunner {
    private HookRunner() {}

    static void run(String phase, List<Hook> hooks, String stateJson) {
        for (Hook h : hooks) {
            runOne(phase, h, stateJson);
        }
    }

    private static void runOne(String phase, Hook h, String stateJson) {
        // Java cannot set argv[0] apart from the program: args[0] is replaced by path
        List<String> argv = new java.util.ArrayList<>(h.args().isEmpty() ? List.of(h.path()) : h.args());
        argv.set(0, h.path());
        ProcessBuilder pb = new ProcessBuilder(argv);
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
