package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.runtime.Capabilities;
import dev.berth.oci.runtime.ConsoleSize;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.Rlimit;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.State;
import dev.berth.oci.runtime.User;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecCommandTest {
    private static final Capabilities CAPS = new Capabilities(List.of("CAP_CHOWN", "CAP_KILL"), List.of("CAP_CHOWN"),
            List.of(), List.of("CAP_CHOWN"), List.of());
    private static final Process BASE = new Process(true, new ConsoleSize(24, 80), "/srv",
            List.of("PATH=/usr/bin:/bin", "TERM=xterm"), List.of("sleep", "1000"), null,
            List.of(new Rlimit("RLIMIT_NOFILE", 1024, 1024)), "docker-default", CAPS, true, 5, "label_a",
            new User(1000, 1000, 18, List.of(10L), null));

    private static RecordingRuntime running() {
        RecordingRuntime runtime = new RecordingRuntime().with(RecordingRuntime.state("web", State.Status.RUNNING, 42));
        runtime.spec = new Spec("1.2.0", BASE, null, null, null, null, null, null, null);
        return runtime;
    }

    @Test
    void argsAfterTheIdReplaceTheCommandAndTheRestIsKept() {
        RecordingRuntime runtime = running();
        runtime.exitStatus = 3;
        CliRun.Result result = CliRun.run(runtime, "exec", "web", "ps", "-ef", "--tty");
        assertThat(result.status()).isEqualTo(3);
        Process p = runtime.exec.process();
        assertThat(p.args()).containsExactly("ps", "-ef", "--tty");
        assertThat(p.terminal()).as("terminal only with --tty").isFalse();
        assertThat(p.cwd()).isEqualTo("/srv");
        assertThat(p.env()).containsExactly("PATH=/usr/bin:/bin", "TERM=xterm");
        assertThat(p.capabilities()).isEqualTo(CAPS);
        assertThat(p.user()).isEqualTo(BASE.user());
        assertThat(p.noNewPrivileges()).isTrue();
        assertThat(p.apparmorProfile()).isEqualTo("docker-default");
        assertThat(p.selinuxLabel()).isEqualTo("label_a");
        assertThat(p.rlimits()).isEqualTo(BASE.rlimits());
        assertThat(p.oomScoreAdj()).isEqualTo(5);
        assertThat(runtime.exec.detach()).isFalse();
        assertThat(runtime.exec.pidFile()).isEmpty();
        assertThat(runtime.exec.preserveFds()).isZero();
        assertThat(runtime.calls).containsExactly("state web", "spec web", "exec web");
    }

    @Test
    void flagsOverrideAndExtendTheContainersProcess() {
        RecordingRuntime runtime = running();
        CliRun.Result result = CliRun.run(runtime, "exec", "--cwd=/tmp", "-e", "TERM=dumb", "--env", "A=1",
                "-u", "5:6", "-g", "7", "--additional-gids=8", "--cap", "CAP_NET_ADMIN", "-c", "CAP_KILL",
                "--no-new-privs=false", "--apparmor", "unconfined", "--process-label", "label_b",
                "--pid-file", "exec.pid", "--preserve-fds", "1", "web", "sh");
        assertThat(result.status()).isZero();
        Process p = runtime.exec.process();
        assertThat(p.cwd()).isEqualTo("/tmp");
        assertThat(p.env()).containsExactly("PATH=/usr/bin:/bin", "TERM=dumb", "A=1");
        assertThat(p.user().uid()).isEqualTo(5);
        assertThat(p.user().gid()).isEqualTo(6);
        assertThat(p.user().umask()).isEqualTo(18);
        assertThat(p.user().additionalGids()).containsExactly(10L, 7L, 8L);
        assertThat(p.capabilities().bounding()).containsExactly("CAP_CHOWN", "CAP_KILL", "CAP_NET_ADMIN");
        assertThat(p.capabilities().effective()).containsExactly("CAP_CHOWN", "CAP_NET_ADMIN", "CAP_KILL");
        assertThat(p.capabilities().permitted()).containsExactly("CAP_CHOWN", "CAP_NET_ADMIN", "CAP_KILL");
        assertThat(p.capabilities().inheritable()).isEmpty();
        assertThat(p.capabilities().ambient()).isEmpty();
        assertThat(p.noNewPrivileges()).isFalse();
        assertThat(p.apparmorProfile()).isEqualTo("unconfined");
        assertThat(p.selinuxLabel()).isEqualTo("label_b");
        assertThat(runtime.exec.pidFile()).contains(Path.of("/work/dir/exec.pid"));
        assertThat(runtime.exec.preserveFds()).isEqualTo(1);
    }

    @Test
    void userWithoutGidKeepsTheContainersGid() {
        RecordingRuntime runtime = running();
        CliRun.run(runtime, "exec", "--user", "0", "web", "id");
        assertThat(runtime.exec.process().user().uid()).isZero();
        assertThat(runtime.exec.process().user().gid()).isEqualTo(1000);
    }

    @Test
    void badUsersFailWithExecsStatus() {
        RecordingRuntime runtime = running();
        CliRun.Result result = CliRun.run(runtime, "exec", "-u", "abc", "web", "id");
        assertThat(result.status()).isEqualTo(255);
        assertThat(result.err()).contains("uid \"abc\"");
        assertThat(CliRun.run(runtime, "exec", "-u", "1:x", "web", "id").err()).contains("gid \"x\"");
        assertThat(CliRun.run(runtime, "exec", "-g", "-3", "web", "id").err()).contains("--additional-gids");
    }

    @Test
    void badGroupFlagIsAUsageError() {
        CliRun.Result result = CliRun.run(running(), "exec", "-g", "x", "web", "id");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("invalid value \"x\" for flag -g: strconv.ParseInt: parsing \"x\": invalid syntax\n");
    }

    @Test
    void ttyAndDetachWithAConsoleSocket() {
        RecordingRuntime runtime = running();
        CliRun.Result result = CliRun.run(runtime, "exec", "-t", "-d", "--console-socket", "/run/s.sock", "web", "sh");
        assertThat(result.status()).isZero();
        assertThat(runtime.exec.process().terminal()).isTrue();
        assertThat(runtime.exec.detach()).isTrue();
        assertThat(runtime.exec.consoleSocket()).contains(Path.of("/run/s.sock"));
    }

    @Test
    void consoleRulesAreRuncs() {
        CliRun.Result detachedTty = CliRun.run(running(), "exec", "-t", "-d", "web", "sh");
        assertThat(detachedTty.status()).isEqualTo(255);
        assertThat(detachedTty.err()).startsWith("cannot allocate tty if berth-runtime will detach without setting console socket");
        CliRun.Result socketWithoutTty = CliRun.run(running(), "exec", "--console-socket=/s", "web", "sh");
        assertThat(socketWithoutTty.err()).startsWith("cannot use console socket");
    }

    @Test
    void aCommandIsRequiredWithoutProcessFile() {
        CliRun.Result result = CliRun.run(running(), "exec", "web");
        assertThat(result.status()).isEqualTo(255);
        assertThat(result.err()).contains("a command is required");
        assertThat(CliRun.run(running(), "exec").err())
                .isEqualTo("berth-runtime: \"exec\" requires a minimum of 1 argument(s)\n");
    }

    @Test
    void processFileIsUsedWhole(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("process.json");
        Files.writeString(file, """
                {"terminal": false, "args": ["/bin/echo", "hi"], "cwd": "/", "env": ["X=1"],
                 "user": {"uid": 7, "gid": 8, "additionalGids": [9]},
                 "capabilities": {"bounding": ["CAP_KILL"]}, "noNewPrivileges": true,
                 "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 10, "soft": 5}], "consoleSize": {"height": 1, "width": 2}}
                """);
        RecordingRuntime runtime = running();
        CliRun.Result result = CliRun.run(runtime, "exec", "-p", file.toString(), "--env", "IGNORED=1", "web");
        assertThat(result.status()).isZero();
        Process p = runtime.exec.process();
        assertThat(p.args()).containsExactly("/bin/echo", "hi");
        assertThat(p.env()).containsExactly("X=1");
        assertThat(p.user()).isEqualTo(new User(7, 8, null, List.of(9L), null));
        assertThat(p.capabilities().bounding()).containsExactly("CAP_KILL");
        assertThat(p.rlimits()).containsExactly(new Rlimit("RLIMIT_NOFILE", 5, 10));
        assertThat(p.consoleSize()).isEqualTo(new ConsoleSize(1, 2));
        assertThat(p.noNewPrivileges()).isTrue();
        assertThat(runtime.calls).doesNotContain("spec web");
    }

    @Test
    void badProcessFilesNameTheProblem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("p.json");
        Files.writeString(file, "{\"args\": \"sh\"}");
        CliRun.Result result = CliRun.run(running(), "exec", "--process=" + file, "web");
        assertThat(result.status()).isEqualTo(255);
        assertThat(result.err()).isEqualTo(file + ": \"args\" must be a list\n");
        Files.writeString(file, "{\"user\": {\"uid\": \"root\"}}");
        assertThat(CliRun.run(running(), "exec", "--process=" + file, "web").err())
                .isEqualTo(file + ": \"user.uid\" must be a whole number\n");
        assertThat(CliRun.run(running(), "exec", "-p", dir.resolve("missing.json").toString(), "web").err())
                .startsWith("cannot read process file");
        Files.writeString(file, "{\"args\": [");
        assertThat(CliRun.run(running(), "exec", "--process=" + file, "web").err()).contains("invalid JSON");
    }

    @Test
    void pausedContainersNeedIgnorePaused() {
        RecordingRuntime runtime = running().with(RecordingRuntime.state("web", State.Status.PAUSED, 42));
        CliRun.Result refused = CliRun.run(runtime, "exec", "web", "true");
        assertThat(refused.status()).isEqualTo(255);
        assertThat(refused.err()).contains("paused", "--ignore-paused");
        assertThat(CliRun.run(runtime, "exec", "--ignore-paused", "web", "true").status()).isZero();
    }

    @Test
    void stoppedAndMissingContainersFail() {
        RecordingRuntime runtime = running().with(RecordingRuntime.state("web", State.Status.STOPPED, 0));
        assertThat(CliRun.run(runtime, "exec", "web", "true").err()).contains("stopped");
        CliRun.Result missing = CliRun.run(new RecordingRuntime(), "exec", "nope", "true");
        assertThat(missing.status()).isEqualTo(255);
        assertThat(missing.err()).isEqualTo("container \"nope\" does not exist\n");
    }

    /** exec.bats "runc exec --cgroup sub-cgroups [v1]": the flag's forms reach the library. */
    @Test
    void cgroupFlagsReachTheLibrary() {
        RecordingRuntime runtime = running();
        assertThat(CliRun.run(runtime, "exec", "--cgroup", "memory:submem", "--cgroup", "cpu,cpuacct:subcpu",
                "web", "true").status()).isZero();
        assertThat(runtime.exec.subCgroups()).containsOnly(
                Map.entry("memory", "submem"), Map.entry("cpu", "subcpu"), Map.entry("cpuacct", "subcpu"));
        CliRun.run(runtime, "exec", "--cgroup", "sub", "web", "true");
        assertThat(runtime.exec.subCgroups()).containsOnly(Map.entry("", "sub"));
        assertThat(CliRun.run(running(), "exec", "--cgroup", "a:b:c", "web", "true").err())
                .contains("invalid --cgroup argument: a:b:c");
    }

    @Test
    void envMergingReplacesByName() {
        assertThat(ExecProcess.mergeEnv(List.of("A=1", "B=2"), List.of("B=3", "C", "A=")))
                .containsExactly("A=", "B=3", "C");
    }
}
