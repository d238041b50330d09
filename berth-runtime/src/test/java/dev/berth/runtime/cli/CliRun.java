package dev.berth.runtime.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;
import dev.berth.runtime.api.ContainerRuntime;

/** Runs the CLI in-process against a {@link RecordingRuntime}, capturing stdout and stderr. */
final class CliRun {
    record Result(int status, String out, String err) {}

    static Path workingDirectory = Path.of("/work/dir");

    static Result run(RecordingRuntime runtime, String... args) {
        return run(runtime, "", new FixedSpecSource(), args);
    }

    static Result run(RecordingRuntime runtime, String stdin, SpecSource specs, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Function<Path, ContainerRuntime> factory = root -> {
            runtime.root = root;
            return runtime;
        };
        Cli cli = new Cli(factory, specs, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                workingDirectory);
        int status = cli.run(args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static final class FixedSpecSource implements SpecSource {
        @Override
        public String defaultSpecJson(boolean rootless) {
            return "{\"ociVersion\":\"1.2.0\",\"rootless\":" + rootless + "}";
        }

        @Override
        public String featuresJson() {
            return "{\"ociVersionMin\":\"1.0.0\"}";
        }
    }
}
