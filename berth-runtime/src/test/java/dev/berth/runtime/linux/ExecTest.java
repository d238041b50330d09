package dev.berth.runtime.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Capabilities;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.State.Status;
import dev.berth.oci.runtime.User;
import dev.berth.runtime.api.ExecOptions;
import dev.berth.runtime.plan.Capability;
import dev.berth.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runc exec against the kernel: an extra process joins a running container. */
class ExecTest {
    @TempDir
    Path tmp;
    Harness h;
    TestBundle b;

    @BeforeEach
    void setUp() {
        h = Harness.open(tmp, "exec");
        b = h.bundle("sleep", "60");
    }

    @AfterEach
    void tearDown() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void joinsTheContainersNamespaces() throws Exception {
        b.edit(c -> c.put("hostname", "berth-exec"));
        h.runDetached();
        int code = h.exec("sh", "-c", "hostname > /out/host; echo $$ > /out/pid; cat /proc/1/cmdline | tr '\\0' ' ' > /out/init");
        assertThat(code).isZero();
        assertThat(b.read("host").trim()).isEqualTo("berth-exec");
        assertThat(b.read("pid").trim()).isNotEqualTo("1");
        assertThat(b.read("init").trim()).isEqualTo("sleep 60");
    }

    @Test
    void returnsTheExitStatus() {
        h.runDetached();
        assertThat(h.exec("sh", "-c", "exit 7")).isEqualTo(7);
    }

    @Test
    void envCwdAndUserApply() {
        h.runDetached();
        Process p = h.process("sh", "-c", "echo $FOO > /out/env; pwd > /out/cwd; id > /out/id");
        p = new Process(false, null, "/tmp", List.of("PATH=/bin", "FOO=bar"), p.args(), null, List.of(), null,
                p.capabilities(), true, null, null, new User(65534, 65534, null, List.of(5L), null));
        assertThat(h.runtime.exec(h.id, Harness.exec(p))).isZero();
        assertThat(b.read("env").trim()).isEqualTo("bar");
        assertThat(b.read("cwd").trim()).isEqualTo("/tmp");
        assertThat(b.read("id")).contains("uid=65534").contains("gid=65534").contains("groups=5");
    }

    @Test
    void holdsTheCapabilitiesGiven() {
        h.runDetached();
        List<String> kill = List.of("CAP_KILL");
        Process p = h.process("sh", "-c", "grep CapEff /proc/self/status > /out/caps");
        p = new Process(false, null, "/", p.env(), p.args(), null, List.of(), null,
                new Capabilities(kill, kill, List.of(), kill, List.of()), true, null, null, p.user());
        assertThat(h.runtime.exec(h.id, Harness.exec(p))).isZero();
        long eff = Long.parseUnsignedLong(b.read("caps").split(":")[1].trim(), 16);
        assertThat(eff).isEqualTo(Capability.mask(kill));
    }

    @Test
    void detachedWritesThePidFile() throws Exception {
        h.runDetached();
        Path pidFile = tmp.resolve("exec.pid");
        int code = h.runtime.exec(h.id, new ExecOptions(h.process("sleep", "60"), true, Optional.of(pidFile), Optional.empty(), 0));
        assertThat(code).isZero();
        int pid = Integer.parseInt(Files.readString(pidFile).trim());
        assertThat(h.runtime.pids(h.id)).contains(pid, h.runtime.state(h.id).pid());
        assertThat(Leaks.pidNamespaceOf(pid)).isEqualTo(Leaks.pidNamespaceOf(h.runtime.state(h.id).pid()));
    }

    @Test
    void intoAStoppedContainerIsAnErrorNamingTheState() {
        b.args("true");
        h.runDetached();
        h.awaitStatus(Status.STOPPED);
        assertThatThrownBy(() -> h.exec("true")).isInstanceOf(BerthException.class).hasMessageContaining("stopped");
    }

    @Test
    void intoAPausedContainerIsAnErrorNamingTheState() {
        h.runDetached();
        h.runtime.pause(h.id);
        assertThatThrownBy(() -> h.exec("true")).isInstanceOf(BerthException.class).hasMessageContaining("paused");
        h.runtime.resume(h.id);
    }

    @Test
    void intoACreatedContainerRuns() {
        h.create();
        assertThat(h.exec("sh", "-c", "echo hi > /out/hi")).isZero();
        assertThat(b.read("hi").trim()).isEqualTo("hi");
        assertThat(h.status()).isEqualTo(Status.CREATED);
    }

    @Test
    void aMissingProgramIsAOneLineErrorNamingIt() {
        h.runDetached();
        assertThatThrownBy(() -> h.exec("no-such-program"))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("no-such-program")
                .hasMessageNotContaining("\n");
        assertThat(h.status()).isEqualTo(Status.RUNNING);
    }

    @Test
    void aMissingCwdIsAnErrorNamingIt() {
        h.runDetached();
        Process base = h.process("true");
        Process p = new Process(false, null, "/no/such/dir", base.env(), base.args(), null, List.of(), null,
                base.capabilities(), true, null, null, base.user());
        assertThatThrownBy(() -> h.runtime.exec(h.id, Harness.exec(p)))
                .isInstanceOf(BerthException.class).hasMessageContaining("/no/such/dir").hasMessageNotContaining("\n");
    }

    @Test
    void aTerminalWithoutConsoleSocketIsRefused() {
        h.runDetached();
        Process base = h.process("true");
        Process p = new Process(true, null, "/", base.env(), base.args(), null, List.of(), null,
                base.capabilities(), true, null, null, base.user());
        assertThatThrownBy(() -> h.runtime.exec(h.id, new ExecOptions(p, true, Optional.empty(), Optional.empty(), 0)))
                .isInstanceOf(BerthException.class).hasMessageContaining("console socket");
    }

    @Test
    void rlimitsApply() {
        h.runDetached();
        Process base = h.process("sh", "-c", "ulimit -n > /out/nofile");
        Process p = new Process(false, null, "/", base.env(), base.args(), null,
                List.of(new dev.berth.oci.runtime.Rlimit("RLIMIT_NOFILE", 77, 88)), null,
                base.capabilities(), true, null, null, base.user());
        assertThat(h.runtime.exec(h.id, Harness.exec(p))).isZero();
        assertThat(b.read("nofile").trim()).isEqualTo("77");
    }

    @Test
    void theContainersSeccompFilterApplies() {
        SeccompContainerTest.useSeccomp(b, new dev.berth.oci.runtime.Seccomp("SCMP_ACT_ALLOW", null, List.of(), List.of(),
                null, null, List.of(new dev.berth.oci.runtime.Seccomp.Syscall(List.of("mkdir", "mkdirat"), "SCMP_ACT_ERRNO", null, List.of()))));
        h.runDetached();
        assertThat(h.exec("sh", "-c", "grep Seccomp: /proc/self/status > /out/mode; mkdir /tmp/x 2> /out/err; echo $? > /out/rc")).isZero();
        assertThat(b.read("mode")).containsPattern("Seccomp:\\s+2");
        assertThat(b.read("rc").trim()).isEqualTo("1");
        assertThat(b.read("err")).contains("Operation not permitted");
    }

    @Test
    void killAllReachesExecdProcesses() {
        h.runDetached();
        Path pidFile = tmp.resolve("exec.pid");
        h.runtime.exec(h.id, new ExecOptions(h.process("sleep", "60"), true, Optional.of(pidFile), Optional.empty(), 0));
        h.runtime.kill(h.id, 9, true);
        h.awaitStatus(Status.STOPPED);
    }
}
