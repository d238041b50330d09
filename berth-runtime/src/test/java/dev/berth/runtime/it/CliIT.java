package dev.berth.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.testing.Privileged;
import dev.berth.runtime.testing.TestBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/berth-runtime as engines call it: a separate process per verb, state under --root. */
class CliIT {
    @TempDir
    Path tmp;
    Path root;
    String id;

    record Result(int code, String out, String err) {}

    @BeforeEach
    void setUp() {
        Privileged.assumeContainersWork();
        root = tmp.resolve("root");
        id = "cli-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (root != null && Files.isDirectory(root)) {
            berth("delete", "--force", id);
        }
    }

    Result berth(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Privileged.repo().resolve("bin/berth-runtime").toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(List.of(args));
        // files, not pipes: a created container keeps the runtime's stdout, as with runc, so a
        // pipe would never reach end of stream
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void runPrintsToOurStdoutAndReturnsTheStatus() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "echo hello from $(hostname); exit 5");
        b.edit(c -> c.put("hostname", "cli-test"));
        Result r = berth("run", "--bundle", b.dir().toString(), id);
        assertThat(r.out()).isEqualTo("hello from cli-test\n");
        assertThat(r.code()).isEqualTo(5);
        assertThat(berth("list", "-q").out()).doesNotContain(id);
    }

    @Test
    void createStartStateKillDelete() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sleep", "30");
        Path pidFile = tmp.resolve("pid");
        assertThat(berth("create", "--bundle", b.dir().toString(), "--pid-file", pidFile.toString(), id).code()).isZero();
        Result state = berth("state", id);
        assertThat(state.out()).contains("\"status\": \"created\"").contains("\"id\": \"" + id + "\"")
                .contains("\"pid\": " + Files.readString(pidFile).trim());
        assertThat(berth("start", id).code()).isZero();
        assertThat(berth("state", id).out()).contains("\"status\": \"running\"");
        assertThat(berth("list").out()).contains(id).contains("running");
        Result ps = berth("ps", "--format", "json", id);
        assertThat(ps.out()).contains(Files.readString(pidFile).trim());
        assertThat(berth("kill", id, "KILL").code()).isZero();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!berth("state", id).out().contains("stopped") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(berth("state", id).out()).contains("\"status\": \"stopped\"");
        assertThat(berth("delete", id).code()).isZero();
        Result gone = berth("state", id);
        assertThat(gone.code()).isNotZero();
        assertThat(gone.err()).contains(id).contains("does not exist");
    }

    @Test
    void execRunsInTheContainer() throws Exception {
        TestBundle b = TestBundle.create(tmp, "sleep", "30");
        b.edit(c -> c.put("hostname", "exec-host"));
        assertThat(berth("run", "--detach", "--bundle", b.dir().toString(), id).code()).isZero();
        Result r = berth("exec", id, "sh", "-c", "hostname; exit 4");
        assertThat(r.out()).isEqualTo("exec-host\n");
        assertThat(r.code()).isEqualTo(4);
    }

    @Test
    void errorsAreOneLineAndNonZero() throws Exception {
        Result r = berth("start", "nope");
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip()).doesNotContain("\n").contains("nope");
        Result missing = berth("create", "--bundle", tmp.resolve("none").toString(), id);
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("config.json");
        assertThat(Files.exists(root.resolve(id))).isFalse();
    }

    @Test
    void terminalRunRelaysThroughAPty() throws Exception {
        // script(1) gives the runtime a terminal, as a user's shell would
        TestBundle b = TestBundle.create(tmp, "sh", "-c", "tty; exit 3");
        b.edit(c -> b.process().put("terminal", true));
        String cmd = Privileged.repo().resolve("bin/berth-runtime") + " --root " + root + " run --bundle " + b.dir() + " " + id;
        Process p = new ProcessBuilder("script", "-qec", cmd, "/dev/null").redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("/dev/pts/0");
        assertThat(p.exitValue()).isEqualTo(3);
    }
}
