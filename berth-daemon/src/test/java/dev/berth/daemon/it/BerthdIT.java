package dev.berth.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/berthd as a user runs it, driven by the real docker CLI (DESIGN.md: real clients decide
 * what works), and stopped with SIGTERM.
 */
class BerthdIT {
    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();
    private Path berthd;

    record Result(int code, String out, String err) {}

    @BeforeEach
    void locate() throws IOException {
        berthd = Path.of(System.getProperty("berth.repo", "."), "bin", "berthd").toAbsolutePath();
        Assumptions.assumeTrue(Files.isExecutable(berthd), "bin/berthd not found at " + berthd);
        // an empty daemon.json keeps the host's /etc/berth/daemon.json out of the test daemons
        Files.writeString(dir.resolve("none.json"), "{}");
    }

    @Test
    void aMissingConfigFileNamedOnTheCommandLineIsRefused() throws Exception {
        Path absent = dir.resolve("absent.json");
        Result r = run(List.of(berthd.toString(), "--data-root", dir.resolve("a/data").toString(),
                "--exec-root", dir.resolve("a/exec").toString(), "-H", "unix://" + dir.resolve("a.sock"),
                "--config-file", absent.toString()), null);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out() + r.err()).contains("unable to configure berthd with file " + absent + ": open " + absent
                + ": no such file or directory");
        assertThat(dir.resolve("a.sock")).doesNotExist();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static boolean dockerOnPath() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, "docker"))) {
                return true;
            }
        }
        return false;
    }

    private Process startDaemon(String name) throws IOException {
        return startDaemon(name, java.util.Map.of());
    }

    private Process startDaemon(String name, java.util.Map<String, String> env) throws IOException {
        Path root = dir.resolve(name);
        ProcessBuilder pb = new ProcessBuilder(berthd.toString(), "--data-root", root.resolve("data").toString(),
                "--exec-root", root.resolve("exec").toString(), "-H", "unix://" + root.resolve("berth.sock"), "--bridge=none",
                "--config-file", dir.resolve("none.json").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private Path socket(String name) {
        return dir.resolve(name).resolve("berth.sock");
    }

    private void awaitSocket(String name, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket(name))) {
                return;
            }
            assertThat(p.isAlive()).as("berthd exited early: " + Files.readString(dir.resolve(name + ".log"))).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("berthd did not create " + socket(name));
    }

    private Result run(List<String> argv, byte[] stdin) throws Exception {
        Process p = new ProcessBuilder(argv).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private Result docker(String daemon, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("docker", "-H", "unix://" + socket(daemon)));
        argv.addAll(List.of(args));
        return run(argv, null);
    }

    @Test
    void helpVersionAndBadFlags() throws Exception {
        Result help = run(List.of(berthd.toString(), "--help"), null);
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--data-root", "--tlsverify", "unix:///run/berth/berth.sock");
        Result version = run(List.of(berthd.toString(), "--version"), null);
        assertThat(version.out()).startsWith("berthd version ");
        Result bad = run(List.of(berthd.toString(), "--bogus"), null);
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("unknown flag: --bogus");
    }

    @Test
    void theDockerCliWorksAgainstBerthdAndSigtermStopsItCleanly() throws Exception {
        Assumptions.assumeTrue(dockerOnPath(), "the docker CLI is not on PATH");
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"), "berthd unpacks layers as root");
        Process daemon = startDaemon("one");
        awaitSocket("one", daemon);

        Result version = docker("one", "version");
        assertThat(version.code()).as(version.err()).isZero();
        assertThat(version.out()).contains("Server: berth", "API version:      1.47 (minimum version 1.24)");

        Result info = docker("one", "info");
        assertThat(info.code()).as(info.err()).isZero();
        assertThat(info.out()).contains("Storage Driver: overlayfs", "Docker Root Dir: " + dir.resolve("one/data"));

        Path rootfs = dir.resolve("rootfs.tar");
        Files.write(rootfs, dev.berth.daemon.testing.Tarballs.rootfs("hello\n"));
        Result imported = docker("one", "import", "--change", "CMD [\"/etc/hello\"]", "-m", "from a test", rootfs.toString(), "it/one:1");
        assertThat(imported.code()).as(imported.err()).isZero();
        assertThat(imported.out()).startsWith("sha256:");
        assertThat(docker("one", "tag", "it/one:1", "localhost:5000/it/two:2").code()).isZero();

        Result images = docker("one", "images", "--format", "{{.Repository}}:{{.Tag}}");
        assertThat(images.out().lines().toList()).containsExactlyInAnyOrder("it/one:1", "localhost:5000/it/two:2");
        assertThat(docker("one", "image", "inspect", "--format", "{{json .Config.Cmd}}", "localhost:5000/it/two:2").out().trim())
                .isEqualTo("[\"/etc/hello\"]");
        assertThat(docker("one", "history", "it/one:1").code()).isZero();

        Path saved = dir.resolve("saved.tar");
        assertThat(docker("one", "save", "-o", saved.toString(), "it/one:1", "localhost:5000/it/two:2").code()).isZero();
        Result rmi = docker("one", "rmi", "it/one:1", "localhost:5000/it/two:2");
        assertThat(rmi.out()).contains("Untagged: it/one:1", "Deleted: sha256:");
        Result load = docker("one", "load", "-i", saved.toString());
        assertThat(load.code()).as(load.err()).isZero();
        assertThat(load.out()).contains("Loaded image: it/one:1", "Loaded image: localhost:5000/it/two:2");
        assertThat(docker("one", "system", "df").out()).contains("Images          1");
        Result missing = docker("one", "image", "inspect", "nope:1");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("No such image: nope:1");
        Thread.sleep(1100); // the CLI sends --until 0s in whole seconds: let the load's second pass
        Result events = docker("one", "events", "--since", "10m", "--until", "0s", "--filter", "event=load", "--format", "{{.Action}}");
        assertThat(events.out().lines().toList()).containsExactly("load");
        assertThat(docker("one", "image", "prune", "-af").code()).isZero();
        assertThat(docker("one", "images", "-q").out()).isEmpty();

        // a second daemon beside it: its own socket, pid file and store
        Process two = startDaemon("two");
        awaitSocket("two", two);
        assertThat(docker("two", "version").code()).isZero();
        assertThat(Files.readString(dir.resolve("two/exec/berthd.pid")).trim()).isEqualTo(Long.toString(two.pid()));

        daemon.destroy(); // SIGTERM
        assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(daemon.exitValue()).isZero();
        assertThat(socket("one")).doesNotExist();
        assertThat(dir.resolve("one/exec/berthd.pid")).doesNotExist();
        assertThat(docker("two", "version").code()).as("the other daemon is unaffected").isZero();
    }

    @Test
    void aSecondBerthdOnTheSamePidFileIsRefused() throws Exception {
        Process daemon = startDaemon("one");
        awaitSocket("one", daemon);
        Result second = run(List.of(berthd.toString(), "--data-root", dir.resolve("x/data").toString(),
                "--exec-root", dir.resolve("one/exec").toString(), "-H", "unix://" + dir.resolve("x.sock"), "--bridge=none",
                "--config-file", dir.resolve("none.json").toString()), null);
        assertThat(second.code()).isEqualTo(1);
        assertThat(second.out() + second.err()).contains("pid file found, ensure berthd is not running or delete");
    }

    /**
     * bin/berthd's class archive: with none (a fresh build), the first daemons to start make it by
     * one training run between them, under a lock, and leave no temp file; a later daemon started
     * from another working directory, under a relative path, maps it (the JVM refuses an archive
     * whose class path is spelled differently, hence bin/berthd's absolute paths).
     */
    @Test
    void theFirstDaemonsAfterABuildTrainTheClassArchiveOnceAndLaterOnesMapIt() throws Exception {
        Path target = berthd.getParent().resolveSibling("berth-daemon").resolve("target");
        Path jsa = target.resolve("berthd.jsa");
        Files.deleteIfExists(jsa);
        Files.deleteIfExists(target.resolve("berthd.jsa.failed"));
        Process one = startDaemon("one");
        Process two = startDaemon("two");
        awaitSocket("one", one);
        awaitSocket("two", two);
        assertThat(jsa).exists();
        assertThat(Files.size(jsa)).isGreaterThan(4_000_000L);
        try (var files = Files.list(target)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("berthd.jsa.") && n.endsWith(".tmp"));
        }
        long made = Files.getLastModifiedTime(jsa).toMillis();

        Path cdsLog = dir.resolve("cds.log");
        Path root = dir.resolve("three");
        ProcessBuilder pb = new ProcessBuilder("bin/berthd", "--data-root", root.resolve("data").toString(),
                "--exec-root", root.resolve("exec").toString(), "-H", "unix://" + root.resolve("berth.sock"), "--bridge=none",
                "--config-file", dir.resolve("none.json").toString())
                .directory(berthd.getParent().getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("three.log").toFile());
        pb.environment().put("BERTHD_JAVA_OPTS", "-Xlog:cds=info:file=" + cdsLog);
        Process three = pb.start();
        started.add(three);
        awaitSocket("three", three);
        assertThat(Files.readString(cdsLog)).contains("Mapped dynamic region");
        assertThat(Files.getLastModifiedTime(jsa).toMillis()).as("not made again").isEqualTo(made);

        for (Process p : List.of(one, two, three)) {
            p.destroy();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
    }

    /**
     * A training that fails (here: a TMPDIR so deep that the training daemon's socket path is
     * longer than a unix socket takes) leaves no archive and no temp dir, the daemon starts all
     * the same, and the next daemon does not try again for these jars (berthd.jsa.failed).
     */
    @Test
    void aFailedTrainingLeavesNothingBehindAndIsNotTriedAgainForTheSameBuild() throws Exception {
        Path target = berthd.getParent().resolveSibling("berth-daemon").resolve("target");
        Path jsa = target.resolve("berthd.jsa");
        Path failed = target.resolve("berthd.jsa.failed");
        Files.deleteIfExists(jsa);
        Files.deleteIfExists(failed);
        try {
            Path deep = Files.createDirectories(dir.resolve("d".repeat(100)));
            java.util.Map<String, String> env = java.util.Map.of("TMPDIR", deep.toString());
            Process one = startDaemon("one", env);
            awaitSocket("one", one);
            assertThat(jsa).doesNotExist();
            assertThat(failed).exists();
            try (var left = Files.list(deep)) {
                assertThat(left).as("the training's temp dir").isEmpty();
            }
            long marked = Files.getLastModifiedTime(failed).toMillis();

            Process two = startDaemon("two", env);
            awaitSocket("two", two);
            assertThat(jsa).doesNotExist();
            assertThat(Files.getLastModifiedTime(failed).toMillis()).as("not tried again").isEqualTo(marked);
            for (Process p : List.of(one, two)) {
                p.destroy();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            }
        } finally {
            Files.deleteIfExists(failed); // the next daemon trains again
        }
    }
}
