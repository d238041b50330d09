package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.State;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** create, run, start, kill, delete, pause, resume: flags in, runtime calls out. */
class LifecycleCommandsTest {

    @Test
    void createDefaultsTheBundleToTheWorkingDirectory() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.Result result = CliRun.run(runtime, "create", "web");
        assertThat(result.status()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(runtime.calls).containsExactly("create web");
        assertThat(runtime.created.bundle()).isEqualTo(CliRun.workingDirectory);
        assertThat(runtime.created.pidFile()).isEmpty();
        assertThat(runtime.created.consoleSocket()).isEmpty();
        assertThat(runtime.created.preserveFds()).isZero();
        assertThat(runtime.created.noPivot()).isFalse();
        assertThat(runtime.created.noNewKeyring()).isFalse();
    }

    @Test
    void createTakesEveryFlagInEitherForm() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.Result result = CliRun.run(runtime, "create", "--bundle", "bundles/web", "--console-socket=/run/c.sock",
                "--pid-file", "web.pid", "--no-pivot", "--no-new-keyring", "--preserve-fds=2", "web");
        assertThat(result.status()).isZero();
        assertThat(runtime.created.id()).isEqualTo("web");
        assertThat(runtime.created.bundle()).isEqualTo(Path.of("/work/dir/bundles/web"));
        assertThat(runtime.created.consoleSocket()).contains(Path.of("/run/c.sock"));
        assertThat(runtime.created.pidFile()).contains(Path.of("/work/dir/web.pid"));
        assertThat(runtime.created.noPivot()).isTrue();
        assertThat(runtime.created.noNewKeyring()).isTrue();
        assertThat(runtime.created.preserveFds()).isEqualTo(2);
    }

    @Test
    void createTakesTheShortBundleFlag() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.run(runtime, "create", "-b", "/abs/bundle", "web");
        assertThat(runtime.created.bundle()).isEqualTo(Path.of("/abs/bundle"));
        CliRun.run(runtime, "create", "-b=/other", "web");
        assertThat(runtime.created.bundle()).isEqualTo(Path.of("/other"));
    }

    @Test
    void createWithNegativePreserveFdsFails() {
        CliRun.Result result = CliRun.run(new RecordingRuntime(), "create", "--preserve-fds", "-1", "web");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("--preserve-fds");
    }

    @Test
    void createRequiresExactlyOneId() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.Result result = CliRun.run(runtime, "create");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("berth-runtime: \"create\" requires exactly 1 argument(s)\n");
        assertThat(result.out()).startsWith("Incorrect Usage.\n\nNAME:\n   berth-runtime create - ");
        assertThat(runtime.calls).isEmpty();
    }

    @Test
    void flagsAfterTheIdAreFlagsAsInRunc() {
        // urfave/cli v1 moves them ahead; runc's update.bats relies on it
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.Result result = CliRun.run(runtime, "create", "web", "--no-pivot");
        assertThat(result.status()).isZero();
        assertThat(runtime.calls).containsExactly("create web");
    }

    @Test
    void runAttachedExitsWithTheContainersStatus() {
        RecordingRuntime runtime = new RecordingRuntime();
        runtime.exitStatus = 137;
        CliRun.Result result = CliRun.run(runtime, "run", "-b", "/b", "job");
        assertThat(result.status()).isEqualTo(137);
        assertThat(runtime.detached).isFalse();
        assertThat(runtime.kept).isFalse();
        assertThat(runtime.created.bundle()).isEqualTo(Path.of("/b"));
    }

    @Test
    void runTakesDetachKeepAndNoSubreaper() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.Result result = CliRun.run(runtime, "run", "-d", "--keep", "--no-subreaper", "--pid-file=/p", "job");
        assertThat(result.status()).isZero();
        assertThat(runtime.detached).isTrue();
        assertThat(runtime.kept).isTrue();
        assertThat(runtime.created.pidFile()).contains(Path.of("/p"));
        CliRun.run(runtime, "run", "--detach=false", "job");
        assertThat(runtime.detached).isFalse();
    }

    @Test
    void startPauseResumeTakeOneId() {
        RecordingRuntime runtime = new RecordingRuntime();
        assertThat(CliRun.run(runtime, "start", "a").status()).isZero();
        assertThat(CliRun.run(runtime, "pause", "a").status()).isZero();
        assertThat(CliRun.run(runtime, "resume", "a").status()).isZero();
        assertThat(runtime.calls).containsExactly("start a", "pause a", "resume a");
        assertThat(CliRun.run(runtime, "start", "a", "b").err())
                .isEqualTo("berth-runtime: \"start\" requires exactly 1 argument(s)\n");
        assertThat(CliRun.run(runtime, "pause").status()).isEqualTo(1);
        assertThat(CliRun.run(runtime, "resume").status()).isEqualTo(1);
    }

    @Test
    void runtimeErrorsPrintTheirMessageAndExitOne() {
        RecordingRuntime runtime = new RecordingRuntime();
        runtime.failWith = BerthException.precondition("cannot start container \"a\": it is stopped");
        CliRun.Result result = CliRun.run(runtime, "start", "a");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("cannot start container \"a\": it is stopped\n");
    }

    @Test
    void killDefaultsToSigterm() {
        RecordingRuntime runtime = new RecordingRuntime();
        assertThat(CliRun.run(runtime, "kill", "a").status()).isZero();
        assertThat(runtime.calls).containsExactly("kill a 15 all=false");
    }

    @Test
    void killTakesNamesNumbersAndAll() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.run(runtime, "kill", "a", "KILL");
        CliRun.run(runtime, "kill", "--all", "a", "SIGUSR1");
        CliRun.run(runtime, "kill", "-a", "a", "2");
        CliRun.run(runtime, "kill", "-a=false", "a", "hup");
        assertThat(runtime.calls).containsExactly("kill a 9 all=false", "kill a 10 all=true", "kill a 2 all=true",
                "kill a 1 all=false");
    }

    @Test
    void killRejectsUnknownSignalsAndBadCounts() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.Result unknown = CliRun.run(runtime, "kill", "a", "FOO");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("unknown signal \"FOO\"\n");
        assertThat(CliRun.run(runtime, "kill").err())
                .isEqualTo("berth-runtime: \"kill\" requires a minimum of 1 argument(s)\n");
        assertThat(CliRun.run(runtime, "kill", "a", "b", "c").err())
                .isEqualTo("berth-runtime: \"kill\" requires a maximum of 2 argument(s)\n");
        assertThat(runtime.calls).isEmpty();
    }

    @Test
    void deleteTakesForce() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.run(runtime, "delete", "a");
        CliRun.run(runtime, "delete", "-f", "a");
        CliRun.run(runtime, "delete", "--force", "a");
        assertThat(runtime.calls).containsExactly("delete a force=false", "delete a force=true", "delete a force=true");
    }

    @Test
    void forcedDeleteOfAMissingContainerSucceedsAsInRunc() {
        RecordingRuntime runtime = new RecordingRuntime();
        runtime.failWith = BerthException.notFound("container \"gone\" does not exist");
        assertThat(CliRun.run(runtime, "delete", "--force", "gone").status()).isZero();
        runtime.failWith = BerthException.notFound("container \"gone\" does not exist");
        CliRun.Result plain = CliRun.run(runtime, "delete", "gone");
        assertThat(plain.status()).isEqualTo(1);
        assertThat(plain.err()).isEqualTo("container \"gone\" does not exist\n");
    }

    @Test
    void forcedDeleteStillReportsOtherFailures() {
        RecordingRuntime runtime = new RecordingRuntime();
        runtime.failWith = BerthException.internal("cannot remove cgroup /sys/fs/cgroup/x: device or resource busy");
        assertThat(CliRun.run(runtime, "delete", "-f", "a").status()).isEqualTo(1);
    }

    @Test
    void theRuntimeIsBuiltForTheRootDirectory() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.run(runtime, "--root", "/run/x", "start", "a");
        assertThat(runtime.root).isEqualTo(Path.of("/run/x"));
        CliRun.run(runtime, "--root=rel", "start", "a");
        assertThat(runtime.root).isEqualTo(Path.of("/work/dir/rel"));
        CliRun.run(runtime, "start", "a");
        assertThat(runtime.root).isEqualTo(Path.of("/run/berth-runtime"));
    }

    @Test
    void statePassesThroughTheRuntimesView() {
        RecordingRuntime runtime = new RecordingRuntime().with(RecordingRuntime.state("a", State.Status.PAUSED, 7));
        assertThat(CliRun.run(runtime, "state", "a").out()).contains("\"status\": \"paused\"", "\"pid\": 7");
        assertThat(runtime.created).isNull();
        assertThat(Optional.ofNullable(runtime.root)).isPresent();
    }
}
