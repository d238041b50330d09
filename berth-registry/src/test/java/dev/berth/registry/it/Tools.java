package dev.berth.registry.it;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the peer tools (skopeo, docker, tar) with their output captured, and cleans up after them. */
final class Tools {
    record Run(int status, String out, String err) {
        String all() {
            return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Tools() {}

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static Run run(Path work, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        return runWithInput(work, env, command, null);
    }

    /** As {@link #run}, with {@code stdin} (or nothing) as the standard input. */
    static Run runWithInput(Path work, Map<String, String> env, List<String> command, String stdin)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Path in = null;
        if (stdin != null) {
            in = Files.createTempFile(work, "in", ".txt");
            Files.writeString(in, stdin);
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(in == null ? new File("/dev/null") : in.toFile()));
        builder.environment().remove("DOCKER_HOST");
        builder.environment().putAll(env);
        Process p = builder.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish in 300 s");
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        if (in != null) {
            Files.delete(in);
        }
        return r;
    }

    /** A port free on 127.0.0.1 right now, for a server whose own URL must be known before it starts. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Ends a process this test started: SIGTERM, then SIGKILL after 20 s. */
    static void stop(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
