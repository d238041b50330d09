package dev.berth.cli.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The daemon a compatibility test talks to through both CLIs: BERTH_COMPARE_HOST (or
 * -Dberth.compareHost), e.g. a berthd, or else a private dockerd with its own data root, started
 * here and stopped by {@link #close} (root only). Skips the test, saying why, when neither can be had.
 */
final class ReferenceDaemon implements AutoCloseable {
    /** One CLI run. */
    record Run(int status, String out, String err) {
        String all() {
            return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    final Path work;
    final String host;
    private final Process dockerd;

    private ReferenceDaemon(Path work, String host, Process dockerd) {
        this.work = work;
        this.host = host;
        this.dockerd = dockerd;
    }

    static ReferenceDaemon start(String prefix) throws Exception {
        Assumptions.assumeTrue(onPath("docker"), "no docker CLI on PATH to compare with");
        Path work = Files.createTempDirectory(prefix);
        String given = System.getenv("BERTH_COMPARE_HOST");
        if (given == null || given.isEmpty()) {
            given = System.getProperty("berth.compareHost", "");
        }
        if (!given.isEmpty()) {
            return new ReferenceDaemon(work, given, null);
        }
        Assumptions.assumeTrue(onPath("dockerd"), "no dockerd on PATH and no BERTH_COMPARE_HOST to compare against");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "starting a reference dockerd needs root (or set BERTH_COMPARE_HOST)");
        Path socket = work.resolve("docker.sock");
        String host = "unix://" + socket;
        Process p = new ProcessBuilder("dockerd", "--data-root", work.resolve("data").toString(), "--exec-root",
                work.resolve("exec").toString(), "-H", host, "--pidfile", work.resolve("docker.pid").toString(),
                "--bridge=none", "--iptables=false", "--ip6tables=false")
                .redirectErrorStream(true).redirectOutput(work.resolve("dockerd.log").toFile()).start();
        ReferenceDaemon d = new ReferenceDaemon(work, host, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket) && d.docker("version").status() == 0) {
                return d;
            }
            if (!p.isAlive()) {
                d.close();
                Assumptions.abort("dockerd exited");
            }
            Thread.sleep(200);
        }
        d.close();
        Assumptions.abort("dockerd did not come up in 60 s");
        return null;
    }

    /** True when this started its own dockerd (and so owns everything in it), false for BERTH_COMPARE_HOST. */
    boolean startedHere() {
        return dockerd != null;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    Run docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker", "-H", host));
        command.addAll(Arrays.asList(args));
        return run(command, null, work);
    }

    Run berth(String... args) throws IOException, InterruptedException {
        return berthIn(work, args);
    }

    Run berthIn(Path dir, String... args) throws IOException, InterruptedException {
        String repo = System.getProperty("berth.repo", Path.of("").toAbsolutePath().getParent().toString());
        List<String> command = new ArrayList<>(List.of(Path.of(repo, "bin/berth").toString(), "-H", host));
        command.addAll(Arrays.asList(args));
        return run(command, null, dir);
    }

    Run dockerIn(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker", "-H", host));
        command.addAll(Arrays.asList(args));
        return run(command, null, dir);
    }

    Run run(List<String> command, Path stdin, Path dir) throws IOException, InterruptedException {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(stdin == null
                        ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.from(stdin.toFile()));
        builder.environment().remove("DOCKER_HOST");
        builder.environment().put("TZ", "UTC");
        Process p = builder.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish in 120 s");
        }
        Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    @Override
    public void close() throws Exception {
        if (dockerd != null) {
            dockerd.destroy(); // SIGTERM, to our own dockerd only
            if (!dockerd.waitFor(30, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly();
                dockerd.waitFor(10, TimeUnit.SECONDS);
            }
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
