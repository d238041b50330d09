package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;
import dev.berth.runtime.api.ContainerRuntime;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The {@code berth-runtime} executable. Startup time is part of every container start, so this
 * path avoids lambdas, reflection and regex: named classes only, and a command loads only what it
 * uses.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Function<Path, ContainerRuntime> runtimeFactory = new NotWiredRuntime(); // wired by the lead
        SpecSource specSource = new NotWiredSpecSource(); // wired by the lead
        Cli cli = new Cli(runtimeFactory, specSource, System.in, System.out, System.err,
                Path.of("").toAbsolutePath());
        int status = cli.run(args);
        System.out.flush();
        System.exit(status);
    }

    /** Placeholder until the runtime library's implementation is wired in. */
    private static final class NotWiredRuntime implements Function<Path, ContainerRuntime> {
        @Override
        public ContainerRuntime apply(Path root) {
            throw BerthException.unsupported("the container runtime is not wired into berth-runtime yet");
        }
    }

    /** Placeholder until the shared DefaultSpec and FeaturesJson codecs are wired in. */
    private static final class NotWiredSpecSource implements SpecSource {
        @Override
        public String defaultSpecJson(boolean rootless) {
            throw BerthException.unsupported("spec is not wired into berth-runtime yet");
        }

        @Override
        public String featuresJson() {
            throw BerthException.unsupported("features is not wired into berth-runtime yet");
        }
    }
}
