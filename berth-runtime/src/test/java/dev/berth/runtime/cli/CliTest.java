package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Global flags, help, version, exit statuses and the --log file. */
class CliTest {

    @Test
    void versionPrintsRuncShapedLines() {
        for (String flag : new String[] {"--version", "-v", "-version"}) {
            CliRun.Result result = CliRun.run(new RecordingRuntime(), flag);
            assertThat(result.status()).isZero();
            assertThat(result.out()).isEqualTo("berth-runtime version 0.1.0\nspec: 1.2.0\n");
        }
    }

    @Test
    void noArgumentsOrHelpPrintTheAppHelp() {
        for (String[] args : new String[][] {{}, {"--help"}, {"-h"}, {"help"}, {"h"}}) {
            CliRun.Result result = CliRun.run(new RecordingRuntime(), args);
            assertThat(result.status()).isZero();
            assertThat(result.out())
                    .startsWith("NAME:\n   berth-runtime - ")
                    .contains("USAGE:\n   berth-runtime [global options] command [command options] [arguments...]\n")
                    .contains("\nCOMMANDS:\n   checkpoint  ", "\n   create      create a container\n", "\n   help, h     ")
                    .contains("\nGLOBAL OPTIONS:\n   --debug             ", "--root value        ", "(default: \"/run/berth-runtime\")");
        }
    }

    @Test
    void commandHelpHasUrfaveShape() {
        CliRun.Result result = CliRun.run(new RecordingRuntime(), "create", "--help");
        assertThat(result.status()).isZero();
        assertThat(result.out())
                .startsWith("NAME:\n   berth-runtime create - create a container\n\nUSAGE:\n   berth-runtime create [command options] <container-id>\n")
                .contains("\nDESCRIPTION:\n   ")
                .contains("\nOPTIONS:\n   --bundle value, -b value  ")
                .contains("   --no-pivot                ")
                .contains("--preserve-fds value      pass N more file descriptors, from fd 3 on, to the container (default: 0)\n");
        assertThat(CliRun.run(new RecordingRuntime(), "help", "create").out()).isEqualTo(result.out());
        assertThat(CliRun.run(new RecordingRuntime(), "kill", "-h").out())
                .contains("   --all, -a  signal every process in the container, not only its init\n");
    }

    @Test
    void everyCommandHasHelp() {
        for (String name : Commands.NAMES) {
            CliRun.Result result = CliRun.run(new RecordingRuntime(), name, "--help");
            assertThat(result.status()).as(name).isZero();
            assertThat(result.out()).as(name).startsWith("NAME:\n   berth-runtime " + name + " - ");
        }
    }

    @Test
    void unknownCommandsExitThreeAsInRunc() {
        CliRun.Result result = CliRun.run(new RecordingRuntime(), "bogus");
        assertThat(result.status()).isEqualTo(3);
        assertThat(result.err()).isEqualTo("No help topic for 'bogus'\n");
        assertThat(CliRun.run(new RecordingRuntime(), "help", "bogus").status()).isEqualTo(3);
    }

    @Test
    void unknownCommandFlagsAreUsageErrors() {
        CliRun.Result result = CliRun.run(new RecordingRuntime(), "start", "--bogus", "x");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("flag provided but not defined: -bogus\n");
        assertThat(result.out()).startsWith("Incorrect Usage: flag provided but not defined: -bogus\n\nNAME:\n   berth-runtime start");
    }

    @Test
    void unknownGlobalFlagsAreUsageErrors() {
        CliRun.Result result = CliRun.run(new RecordingRuntime(), "--bogus", "list");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("flag provided but not defined: -bogus\n");
        assertThat(result.out()).startsWith("Incorrect Usage. flag provided but not defined: -bogus\n\nNAME:\n   berth-runtime - ");
    }

    @Test
    void globalFlagsAreAcceptedInBothForms() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.Result result = CliRun.run(runtime, "--debug", "--criu", "/usr/sbin/criu", "--rootless=auto",
                "--rootless", "false", "--log-format=json", "--root", "/tmp/r", "list", "-q");
        assertThat(result.status()).isZero();
        assertThat(runtime.calls).containsExactly("list");
    }

    @Test
    void badLogFormatAndRootlessValuesAreRejected() {
        CliRun.Result format = CliRun.run(new RecordingRuntime(), "--log-format=xml", "list");
        assertThat(format.status()).isEqualTo(1);
        assertThat(format.err()).isEqualTo("invalid log-format: xml\n");
        CliRun.Result rootless = CliRun.run(new RecordingRuntime(), "--rootless", "maybe", "list");
        assertThat(rootless.status()).isEqualTo(1);
        assertThat(rootless.err()).startsWith("invalid --rootless value: maybe");
    }

    @Test
    void systemdCgroupIsRefusedClearly() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.Result result = CliRun.run(runtime, "--systemd-cgroup", "list");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("--systemd-cgroup: the systemd cgroup driver is not supported");
        assertThat(runtime.calls).isEmpty();
        assertThat(CliRun.run(runtime, "--systemd-cgroup", "--version").status()).isZero();
    }

    @Test
    void errorsAreAppendedToTheJsonLog(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("log.json");
        CliRun.Result result = CliRun.run(new RecordingRuntime(), "--log", log.toString(), "--log-format", "json",
                "state", "nope");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("container \"nope\" does not exist\n");
        CliRun.run(new RecordingRuntime(), "--log=" + log, "--log-format=json", "kill", "x", "FOO");
        assertThat(Files.readAllLines(log)).satisfiesExactly(
                line -> assertThat(line).matches("\\{\"level\":\"error\",\"msg\":\"container \\\\\"nope\\\\\" does not exist\",\"time\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)\"}"),
                line -> assertThat(line).startsWith("{\"level\":\"error\",\"msg\":\"unknown signal \\\"FOO\\\"\","));
    }

    @Test
    void errorsAreAppendedToTheTextLog(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("log.txt");
        CliRun.run(new RecordingRuntime(), "--log", log.toString(), "start");
        assertThat(Files.readString(log))
                .matches("time=\"[^\"]+\" level=error msg=\"berth-runtime: \\\\\"start\\\\\" requires exactly 1 argument\\(s\\)\"\n");
    }

    @Test
    void successWritesNoLog(@TempDir Path dir) {
        Path log = dir.resolve("log.json");
        assertThat(CliRun.run(new RecordingRuntime(), "--log", log.toString(), "list").status()).isZero();
        assertThat(log).doesNotExist();
    }

    @Test
    void unexpectedFailuresStillPrintOneLine() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.Result result = CliRun.run(runtime, "exec", "x", "true");
        assertThat(result.err()).isEqualTo("container \"x\" does not exist\n");
        assertThat(result.status()).isEqualTo(255);
    }

    @Test
    void checkpointAndRestoreAreNotSupported() {
        CliRun.Result checkpoint = CliRun.run(new RecordingRuntime(), "checkpoint", "--image-path", "/tmp/i", "c1");
        assertThat(checkpoint.status()).isEqualTo(1);
        assertThat(checkpoint.err()).isEqualTo("checkpoint is not supported: berth-runtime has no CRIU integration\n");
        assertThat(CliRun.run(new RecordingRuntime(), "restore", "-d", "c1").err()).startsWith("restore is not supported");
        assertThat(CliRun.run(new RecordingRuntime(), "restore", "--help").status()).isZero();
    }

    @Test
    void specWritesConfigJsonOnceIntoTheBundle(@TempDir Path dir) throws IOException {
        CliRun.Result result = CliRun.run(new RecordingRuntime(), "spec", "--bundle", dir.toString(), "--rootless");
        assertThat(result.status()).isZero();
        assertThat(Files.readString(dir.resolve("config.json"))).isEqualTo("{\"ociVersion\":\"1.2.0\",\"rootless\":true}");
        CliRun.Result again = CliRun.run(new RecordingRuntime(), "spec", "-b", dir.toString());
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("File config.json exists. Remove it first\n");
    }

    @Test
    void specUsesTheWorkingDirectoryByDefault(@TempDir Path dir) throws IOException {
        Path before = CliRun.workingDirectory;
        CliRun.workingDirectory = dir;
        try {
            assertThat(CliRun.run(new RecordingRuntime(), "spec").status()).isZero();
            assertThat(Files.readString(dir.resolve("config.json"))).contains("\"rootless\":false");
        } finally {
            CliRun.workingDirectory = before;
        }
    }

    @Test
    void specRefusesMissingBundlesAndArguments(@TempDir Path dir) {
        CliRun.Result missing = CliRun.run(new RecordingRuntime(), "spec", "-b", dir.resolve("nope").toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("does not exist");
        assertThat(CliRun.run(new RecordingRuntime(), "spec", "x").err())
                .isEqualTo("berth-runtime: \"spec\" requires exactly 0 argument(s)\n");
    }

    @Test
    void featuresPrintsTheSourcesDocumentWithANewline() {
        CliRun.Result result = CliRun.run(new RecordingRuntime(), "features");
        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo("{\"ociVersionMin\":\"1.0.0\"}\n");
    }

    @Test
    void specAndFeaturesNeverBuildTheRuntime(@TempDir Path dir) {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.run(runtime, "features");
        CliRun.run(runtime, "spec", "-b", dir.toString());
        assertThat(runtime.root).isNull();
    }

    @Test
    void kindsOfRuntimeErrorAllExitOne() {
        for (BerthException e : new BerthException[] {BerthException.conflict("container \"a\" already exists"),
                BerthException.unsupported("x"), BerthException.internal("y")}) {
            RecordingRuntime runtime = new RecordingRuntime();
            runtime.failWith = e;
            CliRun.Result result = CliRun.run(runtime, "create", "a");
            assertThat(result.status()).isEqualTo(1);
            assertThat(result.err()).isEqualTo(e.getMessage() + "\n");
        }
    }
}
