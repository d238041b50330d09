package dev.berth.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.cli.it.ReferenceDaemon.Run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bin/berth's container commands (run, create, start, attach, exec, logs, wait) against a real
 * daemon, next to the docker CLI against the same daemon: same stdout, stderr (with "docker"
 * read as "berth") and exit status. Terminal sessions run under pty_run.py (a pseudo-terminal
 * of a chosen size). The daemon is BERTH_COMPARE_HOST (e.g. a berthd with container routes) or a
 * dockerd this test starts (root). The image is made here from the host's static busybox.
 * Against berthd (session 9) three checks show daemon gaps, not CLI ones: a signal sent with
 * kill does not reach the container's trap, HostConfig.ConsoleSize is not kept, and a --rm
 * container whose start failed is not removed (docker run then waits for ever).
 */
class ContainerRunIT {
    private static final String IMAGE = "berth-it-busybox:latest";

    private static ReferenceDaemon daemon;
    private static Path work;
    private static final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void daemon() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "no static /bin/busybox to make an image of");
        daemon = ReferenceDaemon.start("berth-cli-run-it-");
        work = daemon.work;
        loadImage();
    }

    /** A one-layer image: /bin/busybox, the applets the tests use as links, /etc/passwd. */
    private static void loadImage() throws Exception {
        Path root = Files.createDirectories(work.resolve("rootfs"));
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("tmp"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"));
        for (String applet : List.of("sh", "cat", "echo", "sleep", "true", "ls", "env", "tty")) {
            Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        DockerArchive a = new DockerArchive(work.resolve("archive"));
        String[] layer = a.layerOf(root);
        a.image("""
                {"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z",\
                "config":{"Env":["PATH=/bin"],"Cmd":["sh"]},\
                "rootfs":{"type":"layers","diff_ids":["%s"]},"history":[{"created":"2024-01-01T00:00:00Z"}]}"""
                .formatted(layer[1]), List.of(layer[0]), List.of(IMAGE));
        Path archive = a.pack("busybox.tar");
        Run load = docker("load", "-i", archive.toString());
        assertThat(load.status()).as(load.all()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon == null) {
            return;
        }
        for (String c : containers) {
            docker("rm", "-f", c);
        }
        if (!daemon.startedHere()) {
            docker("rmi", "-f", IMAGE);
        }
        daemon.close();
    }

    private static String name(String base) {
        String n = "berth-it-" + base + "-" + ProcessHandle.current().pid();
        containers.add(n);
        return n;
    }

    private static Run docker(String... args) throws IOException, InterruptedException {
        return daemon.docker(args);
    }

    private static Path repo() {
        return Path.of(System.getProperty("berth.repo", Path.of("").toAbsolutePath().getParent().toString()));
    }

    private static Run berth(String... args) throws IOException, InterruptedException {
        return berthWithInput(null, args);
    }

    private static Run berthWithInput(Path stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(repo().resolve("bin/berth").toString(), "-H", daemon.host));
        command.addAll(Arrays.asList(args));
        return run(command, stdin);
    }

    /** bin/berth on a 40x120 pseudo-terminal, with pty_run.py's expect/send steps. */
    private static Run onTerminal(List<String> steps, String... args) throws IOException, InterruptedException {
        Path script = repo().resolve("berth-cli/src/test/resources/pty_run.py");
        List<String> command = new ArrayList<>(List.of("python3", script.toString(), "40", "120"));
        command.addAll(steps);
        command.add("--");
        command.add(repo().resolve("bin/berth").toString());
        command.add("-H");
        command.add(daemon.host);
        command.addAll(Arrays.asList(args));
        return run(command, null);
    }

    private static Run run(List<String> command, Path stdin) throws IOException, InterruptedException {
        return daemon.run(command, stdin, work);
    }

    /** docker's words with berth's name in them. */
    private static Run asBerth(Run docker) {
        return new Run(docker.status(), docker.out(), docker.err().replace("docker: ", "berth: ")
                .replace("'docker ", "'berth ").replace("Usage:  docker ", "Usage:  berth "));
    }

    /** The same command line through both clients: same status, stdout and stderr. */
    private static void same(String... args) throws Exception {
        Run expected = asBerth(docker(args));
        Run actual = berth(args);
        assertThat(actual.all()).as("berth %s", String.join(" ", args)).isEqualTo(expected.all());
    }

    @Test
    void runStreamsBothOutputsAndExitsWithTheContainersStatus() throws Exception {
        same("run", "--rm", IMAGE, "sh", "-c", "echo out; echo err >&2; exit 3");
        same("container", "run", "--rm", IMAGE, "echo", "hi");
        same("run", "--rm", "-e", "A=1", "-w", "/tmp", "-u", "0:0", "--entrypoint", "sh", IMAGE, "-c",
                "echo $A $(pwd) $(id -u 2>/dev/null || echo 0)");
    }

    @Test
    void runFailuresHaveDockersStatusesAndWords() throws Exception {
        same("run", "--rm", IMAGE, "nosuchcmd");     // 127
        same("run", "--rm", IMAGE, "/etc/passwd");   // 126
        same("run", "-m", "x", IMAGE);              // 125, a flag error
        same("run", "--rm", "--restart", "always", IMAGE); // 125, a conflict
        same("run", "--name", "x", IMAGE);           // 125, the daemon refuses the name
    }

    @Test
    void stdinGoesToTheContainer() throws Exception {
        Path input = work.resolve("input.txt");
        Files.writeString(input, "line one\nline two\n");
        Run r = berthWithInput(input, "run", "--rm", "-i", IMAGE, "cat");
        assertThat(r.all()).isEqualTo(new Run(0, "line one\nline two\n", "").all());
    }

    @Test
    void detachedThenLogsWaitStartAttachedAndExec() throws Exception {
        String c = name("bg");
        Run created = berth("run", "-d", "--name", c, IMAGE, "sh", "-c", "echo one; echo two >&2; exit 4");
        assertThat(created.status()).as(created.all()).isZero();
        assertThat(created.out()).matches("[0-9a-f]{64}\n");
        same("wait", c);
        same("logs", c);
        same("logs", "--tail", "1", c);
        same("logs", "-t", c);
        Run again = berth("start", "-a", c);
        assertThat(again.all()).isEqualTo(new Run(4, "one\n", "two\n").all());

        String s = name("sleeper");
        assertThat(berth("run", "-d", "--name", s, IMAGE, "sleep", "300").status()).isZero();
        same("exec", s, "sh", "-c", "echo in; echo err >&2; exit 5");
        same("exec", "-e", "K=V", "-w", "/tmp", s, "sh", "-c", "echo $K $(pwd)");
        same("exec", s, "nosuchcmd");
        same("exec", "-d", s, "sleep", "1");
        same("exec", "nosuch-berth-container", "true");
        same("logs", "nosuch-berth-container");
        same("wait", "nosuch-berth-container");
    }

    @Test
    void attachSendsStdinAndEndsWithTheContainer() throws Exception {
        Path input = work.resolve("attach-input.txt");
        Files.writeString(input, "hello\n");
        // dockerd may close the session with stdin, before the echo: compare with docker on a twin container
        String forDocker = name("attach-docker");
        String forBerth = name("attach-berth");
        for (String c : List.of(forDocker, forBerth)) {
            assertThat(docker("run", "-d", "-i", "--name", c, IMAGE, "sh", "-c", "read x; echo got $x >&2; exit 6")
                    .status()).isZero();
        }
        List<String> command = new ArrayList<>(List.of("docker", "-H", daemon.host, "attach", forDocker));
        Run expected = run(command, input);
        Run actual = berthWithInput(input, "attach", forBerth);
        assertThat(actual.status()).isEqualTo(6).isEqualTo(expected.status());
        same("attach", forBerth); // stopped now: docker's refusal
        same("run", "--rm", "-a", "stdout", IMAGE, "sh", "-c", "echo o; echo e >&2");
        same("logs", "-f", forBerth);
    }

    @Test
    void createThenStartAttached() throws Exception {
        String c = name("created");
        Run created = berth("create", "--name", c, "-l", "a=b", IMAGE, "echo", "made");
        assertThat(created.status()).as(created.all()).isZero();
        Run started = berth("start", "-a", c);
        assertThat(started.all()).isEqualTo(new Run(0, "made\n", "").all());
        same("start", c, "nosuch-berth-container");
    }

    @Test
    void aTerminalSessionTypesRunsAndExits() throws Exception {
        Run r = onTerminal(List.of("expect:# ", "send:echo $((6*7))\\r", "expect:42", "send:exit 7\\r"),
                "run", "--rm", "-it", IMAGE, "sh");
        assertThat(r.status()).as(r.all()).isEqualTo(7);
        assertThat(r.out()).contains("42\r\n");
    }

    @Test
    void detachKeysLeaveTheContainerRunningAndAttachComesBack() throws Exception {
        String c = name("detach");
        Run r = onTerminal(List.of("expect:# ", "send:\\x10\\x11"), "run", "-it", "--name", c, IMAGE, "sh");
        assertThat(r.status()).as(r.all()).isZero();
        assertThat(docker("inspect", "-f", "{{.State.Running}}", c).out()).isEqualTo("true\n");
        Run again = onTerminal(List.of("send:\\r", "expect:# ", "send:\\x10\\x11"), "attach", c);
        assertThat(again.status()).as(again.all()).isEqualTo(1); // docker attach: "read escape sequence", 1
        assertThat(again.out()).endsWith("read escape sequence\r\n");
        Run custom = onTerminal(List.of("expect:# ", "send:x\\x18"), "exec", "-it", "--detach-keys", "x,ctrl-x", c, "sh");
        assertThat(custom.status()).as(custom.all()).isEqualTo(1);
        assertThat(custom.out()).endsWith("read escape sequence\r\n");
        Run attached = onTerminal(List.of("send:echo back$((1+1))\\r", "expect:back2", "send:exit 3\\r"), "attach", c);
        assertThat(attached.status()).as(attached.all()).isEqualTo(3);
    }

    @Test
    void signalsReachTheContainer() throws Exception {
        Path out = work.resolve("signal.txt");
        Process p = new ProcessBuilder(repo().resolve("bin/berth").toString(), "-H", daemon.host, "run", "--rm", "--name", name("signal"), IMAGE, "sh", "-c",
                "trap 'echo got INT; exit 9' INT; echo ready; while true; do sleep 0.1; done")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).contains("ready") && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(100);
            }
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(9);
            assertThat(Files.readString(out)).isEqualTo("ready\ngot INT\n");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theTerminalsSizeGoesWithTheCreate() throws Exception {
        String c = name("size");
        Run r = onTerminal(List.of(), "run", "-t", "--name", c, IMAGE, "true");
        assertThat(r.status()).as(r.all()).isZero();
        assertThat(docker("inspect", "-f", "{{json .HostConfig.ConsoleSize}} {{.Config.Tty}}", c).out())
                .isEqualTo("[40,120] true\n");
    }

    @Test
    void theTerminalIsRestoredAfterAFailedStartAndAfterADetach() throws Exception {
        Path script = repo().resolve("berth-cli/src/test/resources/pty_run.py");
        String berth = repo().resolve("bin/berth") + " -H " + daemon.host;
        Run failed = run(List.of("python3", script.toString(), "40", "120", "--", "sh", "-c",
                berth + " run --rm -it " + IMAGE + " nosuchcmd; echo status=$?; stty -a"), null);
        assertThat(failed.out()).contains("status=127").contains(" icanon").contains(" echo ")
                .doesNotContain("-icanon").doesNotContain("-echo ");
        Run detached = run(List.of("python3", script.toString(), "40", "120", "expect:# ", "send:\\x10\\x11", "--",
                "sh", "-c", berth + " run -it --name " + name("restore") + " " + IMAGE + " sh; echo status=$?; stty -a"),
                null);
        assertThat(detached.out()).contains("status=0").contains(" icanon").doesNotContain("-icanon");
    }

    @Test
    void startInteractiveOnATerminal() throws Exception {
        String c = name("start-ai");
        Run created = berth("create", "-it", "--name", c, IMAGE, "sh");
        assertThat(created.status()).as(created.all()).isZero();
        Run r = onTerminal(List.of("expect:# ", "send:echo s$((2+3))\\r", "expect:s5", "send:exit 4\\r"), "start", "-ai", c);
        assertThat(r.status()).as(r.all()).isEqualTo(4);
    }

    @Test
    void execOnATerminal() throws Exception {
        String s = name("exec-tty");
        assertThat(berth("run", "-d", "--name", s, IMAGE, "sleep", "300").status()).isZero();
        Run r = onTerminal(List.of("expect:# ", "send:tty\\r", "expect:/dev/pts", "send:exit 6\\r"), "exec", "-it", s, "sh");
        assertThat(r.status()).as(r.all()).isEqualTo(6);
    }
}
