package dev.berth.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.daemon.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The docker CLI's stream flows against bin/berthd: run (output, exit codes, failures, stdin,
 * -t and -it under a pseudo-terminal with a resize and the detach keys), start -ai, attach,
 * logs, exec. A terminal comes from src/test/resources/ptyrun.py (python3's pty module), which
 * also types, waits for output and resizes. At the end, after SIGTERM: no container process,
 * mount or cgroup is left. The docker 20.10 CLI runs a few of the same flows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsIT {
    private Path dir;
    private Process daemon;
    private Path socket;
    private Path ptyrun;
    private final List<String> docker = new ArrayList<>(List.of("/usr/local/bin/docker"));

    record Result(int code, String out, String err) {}

    @BeforeAll
    void startDaemon() throws Exception {
        Path berthd = Path.of(System.getProperty("berth.repo", "."), "bin", "berthd").toAbsolutePath();
        Assumptions.assumeTrue(Files.isExecutable(berthd), "bin/berthd not found at " + berthd);
        Assumptions.assumeTrue(Files.isExecutable(Path.of(docker.getFirst())), "docker CLI 28 not at " + docker.getFirst());
        Assumptions.assumeTrue(System.getProperty("user.name").equals("root"), "containers need root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "python3 gives the CLI its terminal");
        dir = Files.createTempDirectory(Path.of("/tmp"), "berth-streams-it-");
        socket = dir.resolve("berth.sock");
        Files.writeString(dir.resolve("none.json"), "{}");
        ptyrun = dir.resolve("ptyrun.py");
        try (InputStream in = StreamsIT.class.getResourceAsStream("/ptyrun.py")) {
            Files.write(ptyrun, in.readAllBytes());
        }
        daemon = new ProcessBuilder(berthd.toString(), "--data-root", dir.resolve("data").toString(),
                "--exec-root", dir.resolve("exec").toString(), "-H", "unix://" + socket, "--bridge=none",
                "--config-file", dir.resolve("none.json").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("berthd.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!answers(socket)) { // the socket file is there a moment before it listens
            assertThat(daemon.isAlive()).as("berthd exited: " + Files.readString(dir.resolve("berthd.log"))).isTrue();
            assertThat(System.nanoTime()).as("berthd did not listen").isLessThan(deadline);
            Thread.sleep(50);
        }
        RawHttp.Response bootstrap = RawHttp.call(socket, "POST", "/berth/images/bootstrap?name=busybox");
        assertThat(bootstrap.status()).as(bootstrap.text()).isEqualTo(200);
        docker.addAll(List.of("-H", "unix://" + socket));
    }

    private static boolean answers(Path socket) {
        try {
            return Files.exists(socket) && RawHttp.call(socket, "GET", "/_ping").status() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    @AfterAll
    void stopDaemonAndCheckLeaks() throws Exception {
        if (daemon == null) {
            return;
        }
        try {
            List<String> ids = docker("ps", "-aq", "--no-trunc").out().lines().toList();
            List<Long> children = daemon.descendants().map(ProcessHandle::pid).toList();
            daemon.destroy(); // SIGTERM: berthd stops its containers
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.exitValue()).isZero();
            for (long pid : children) {
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("process " + pid + " left").isNotEqualTo(
                        java.util.Optional.of(true));
            }
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(l -> l.split(" ")[4]).filter(p -> p.startsWith(dir.toString())).toList();
            assertThat(mounts).as("mounts left").isEmpty();
            List<Path> cgroups = new ArrayList<>();
            try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
                for (Path ctl : controllers.toList()) {
                    for (String id : ids) {
                        if (Files.exists(ctl.resolve("berth").resolve(id))) {
                            cgroups.add(ctl.resolve("berth").resolve(id));
                        }
                    }
                }
            }
            assertThat(cgroups).as("cgroups left").isEmpty();
        } finally {
            if (daemon.isAlive()) {
                daemon.destroyForcibly();
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo")).reversed()) {
                String point = line.split(" ")[4];
                if (point.startsWith(dir.toString())) {
                    new ProcessBuilder("umount", "-l", point).inheritIO().start().waitFor();
                }
            }
            new ProcessBuilder("rm", "-rf", dir.toString()).inheritIO().start().waitFor();
        }
    }

    private Result run(List<String> argv, String stdin) throws Exception {
        Process p = new ProcessBuilder(argv).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        var err = new java.util.concurrent.CompletableFuture<byte[]>();
        Thread.ofVirtual().start(() -> {
            try {
                err.complete(p.getErrorStream().readAllBytes());
            } catch (IOException e) {
                err.completeExceptionally(e);
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s did not end", argv).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err.get(), StandardCharsets.UTF_8));
    }

    private Result docker(String... args) throws Exception {
        return dockerWithInput(null, args);
    }

    private Result dockerWithInput(String stdin, String... args) throws Exception {
        List<String> argv = new ArrayList<>(docker);
        argv.addAll(List.of(args));
        return run(argv, stdin);
    }

    /** The CLI under a terminal, driven by steps (expect:, send:, resize:RxC, sleep:). */
    private Result underTerminal(List<String> steps, String... args) throws Exception {
        return underTerminal(docker, steps, args);
    }

    private Result underTerminal(List<String> cli, List<String> steps, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/python3", ptyrun.toString()));
        argv.addAll(steps);
        argv.add("--");
        argv.addAll(cli);
        argv.addAll(List.of(args));
        return run(argv, null);
    }

    @Test
    void runPrintsOutputAndPassesExitCodesOn() throws Exception {
        Result hi = docker("run", "--rm", "busybox", "echo", "hi");
        assertThat(hi.out()).isEqualTo("hi\n");
        assertThat(hi.code()).as(hi.err()).isZero();
        Result both = docker("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2");
        assertThat(both.out()).isEqualTo("out\n");
        assertThat(both.err()).isEqualTo("err\n");
        assertThat(docker("run", "busybox", "sh", "-c", "exit 3").code()).isEqualTo(3);
        // (without --rm: the engine does not yet remove an AutoRemove container whose start failed,
        // as dockerd does, so the CLI's wait for its removal would not end)
        Result missing = docker("run", "busybox", "nope-cmd");
        assertThat(missing.code()).isEqualTo(127);
        assertThat(missing.err()).contains("exec: \"nope-cmd\": executable file not found in $PATH");
        Result notExecutable = docker("run", "busybox", "/etc/passwd");
        assertThat(notExecutable.code()).isEqualTo(126);
        assertThat(notExecutable.err()).contains("permission denied");
    }

    @Test
    void stdinRoundTripsAndStartAiAttachesBeforeTheStart() throws Exception {
        Result cat = dockerWithInput("data\nmore\n", "run", "-i", "--rm", "busybox", "cat");
        assertThat(cat.out()).isEqualTo("data\nmore\n");
        assertThat(cat.code()).as(cat.err()).isZero();
        Result created = docker("create", "--name", "sai", "-i", "busybox", "sh", "-c", "read x; echo got $x; exit 4");
        assertThat(created.code()).as(created.err()).isZero();
        Result started = dockerWithInput("yo\n", "start", "-ai", "sai");
        assertThat(started.out()).isEqualTo("got yo\n");
        assertThat(started.code()).isEqualTo(4);
    }

    @Test
    void runWithATerminalResizesAndDetaches() throws Exception {
        Result t = underTerminal(List.of(), "run", "--rm", "-t", "busybox", "sh", "-c", "echo tty; exit 2");
        assertThat(t.out()).contains("tty\r"); // the container's terminal ends lines with \r\n (and ours adds one more \r)
        assertThat(t.code()).isEqualTo(2);

        Result it = underTerminal(List.of("expect:/ # ", "send:stty size\\r", "expect:24 80", "resize:30x100", "sleep:0.5",
                "send:stty size\\r", "expect:30 100", "send:echo $((6*7))\\r", "expect:42", "send:\\x10\\x11"),
                "run", "-it", "--name", "itc", "busybox", "sh");
        assertThat(it.code()).as(it.out() + it.err()).isZero();
        assertThat(docker("inspect", "-f", "{{.State.Running}}", "itc").out().trim()).as("detached, still running").isEqualTo("true");

        Result attach = underTerminal(List.of("send:\\r", "expect:/ # ", "send:echo back\\r", "expect:back", "send:exit 5\\r"),
                "attach", "itc");
        assertThat(attach.code()).as(attach.out()).isEqualTo(5);
        assertThat(docker("inspect", "-f", "{{.State.ExitCode}}", "itc").out().trim()).isEqualTo("5");
    }

    @Test
    void logsTailTimestampsSinceAndFollow() throws Exception {
        Result d = docker("run", "-d", "--name", "lg", "busybox", "sh", "-c", "echo one; echo two; sleep 2; echo three");
        assertThat(d.code()).as(d.err()).isZero();
        Result followed = docker("logs", "-f", "lg");
        assertThat(followed.out()).as("-f ends when the container stops").isEqualTo("one\ntwo\nthree\n");
        assertThat(docker("logs", "--tail", "1", "lg").out()).isEqualTo("three\n");
        assertThat(docker("logs", "-t", "--tail", "2", "lg").out().lines().toList()).hasSize(2)
                .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z (two|three)"));
        assertThat(docker("logs", "--since", "10m", "lg").out()).isEqualTo("one\ntwo\nthree\n");
        assertThat(docker("logs", "--since", "2099-01-01T00:00:00Z", "lg").out()).isEmpty();
        assertThat(docker("logs", "--until", "1h", "lg").out()).isEmpty();
        Result unknown = docker("logs", "nope");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("No such container: nope");
    }

    /** docker 20.10 negotiates API 1.41: told raw-stream for framed payloads, blank Host on hijacks. */
    @Test
    void theDocker2010CliToo() throws Exception {
        Path old = Path.of("/usr/bin/docker");
        Assumptions.assumeTrue(Files.isExecutable(old), "docker CLI 20.10 not at " + old);
        List<String> cli = List.of(old.toString(), "-H", "unix://" + socket);
        Result hi = run(concat(cli, "run", "--rm", "busybox", "sh", "-c", "echo hi; echo err >&2; exit 6"), null);
        assertThat(hi.out()).isEqualTo("hi\n");
        assertThat(hi.err()).isEqualTo("err\n");
        assertThat(hi.code()).isEqualTo(6);
        assertThat(run(concat(cli, "run", "-i", "--rm", "busybox", "cat"), "piped\n").out()).isEqualTo("piped\n");
        assertThat(run(concat(cli, "run", "-d", "--name", "old", "busybox", "sh", "-c", "echo logged; sleep 300"), null).code())
                .isZero();
        Result exec = run(concat(cli, "exec", "old", "sh", "-c", "echo in; exit 3"), null);
        assertThat(exec.out()).isEqualTo("in\n");
        assertThat(exec.code()).isEqualTo(3);
        String logs = "";
        for (int i = 0; i < 100 && logs.isEmpty(); i++) {
            logs = run(concat(cli, "logs", "old"), null).out();
        }
        assertThat(logs).isEqualTo("logged\n");
        Result it = underTerminal(cli, List.of("expect:# ", "send:echo x$((1+1))\\r", "expect:x2", "send:exit 4\\r"),
                "exec", "-it", "old", "sh");
        assertThat(it.code()).as(it.out()).isEqualTo(4);
        assertThat(run(concat(cli, "rm", "-f", "old"), null).code()).isZero();
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    @Test
    void execInItsForms() throws Exception {
        assertThat(docker("run", "-d", "--name", "ex", "busybox", "sleep", "300").code()).isZero();
        assertThat(docker("exec", "ex", "echo", "hi").out()).isEqualTo("hi\n");
        assertThat(docker("exec", "ex", "sh", "-c", "exit 7").code()).isEqualTo(7);
        assertThat(dockerWithInput("piped\n", "exec", "-i", "ex", "cat").out()).isEqualTo("piped\n");
        assertThat(docker("exec", "-e", "A=b", "-u", "nobody", "-w", "/tmp", "ex", "sh", "-c", "echo $A $(id -u) $PWD").out())
                .isEqualTo("b 65534 /tmp\n");
        assertThat(docker("exec", "-d", "ex", "sh", "-c", "echo bg > /tmp/bg").code()).isZero();
        String bg = "";
        for (int i = 0; i < 100 && !bg.equals("bg\n"); i++) {
            bg = docker("exec", "ex", "cat", "/tmp/bg").out();
        }
        assertThat(bg).isEqualTo("bg\n");
        Result missing = docker("exec", "ex", "nope");
        assertThat(missing.code()).as("dockerd's code for any exec that cannot start").isEqualTo(126);
        assertThat(missing.out()).isEqualTo("OCI runtime exec failed: exec failed: unable to start container process: "
                + "exec: \"nope\": executable file not found in $PATH: unknown\r\n");
        Result it = underTerminal(List.of("expect:# ", "send:tty\\r", "expect:/dev/pts/", "resize:33x99", "sleep:0.5",
                "send:stty size\\r", "expect:33 99", "send:exit 5\\r"), "exec", "-it", "ex", "sh");
        assertThat(it.code()).as(it.out()).isEqualTo(5);

        assertThat(docker("run", "--name", "stopped", "busybox", "true").code()).isZero();
        Result stopped = docker("exec", "stopped", "echo", "hi");
        assertThat(stopped.code()).isEqualTo(1);
        assertThat(stopped.err()).contains("Error response from daemon: Container ").contains(" is not running");
    }
}
