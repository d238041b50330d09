package dev.berth.runtime.cli;

import dev.berth.oci.runtime.DefaultSpec;
import dev.berth.oci.runtime.json.FeaturesJson;
import dev.berth.runtime.linux.LinuxContainerRuntime;
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
        int status = hostCli().run(args);
        System.out.flush();
        System.exit(status);
    }

    /** The CLI wired to this host's runtime and berth-oci's codecs (AotTraining trains this one). */
    static Cli hostCli() {
        return new Cli(new LinuxRuntimeFactory(), new SharedSpecSource(), System.in, System.out, System.err,
                Path.of("").toAbsolutePath());
    }

    /** The runtime library on this host, with the berth-init helper the launcher names. */
    private static final class LinuxRuntimeFactory implements Function<Path, ContainerRuntime> {
        @Override
        public ContainerRuntime apply(Path root) {
            return LinuxContainerRuntime.openForCli(root, LinuxContainerRuntime.defaultHelper());
        }
    }

    /** spec and features from berth-oci's codecs. */
    private static final class SharedSpecSource implements SpecSource {
        @Override
        public String defaultSpecJson(boolean rootless) {
            return DefaultSpec.json(rootless);
        }

        @Override
        public String featuresJson() {
            return FeaturesJson.write();
        }
    }
}
