package dev.berth.runtime.cli;

import dev.berth.oci.runtime.DefaultSpec;
import dev.berth.oci.runtime.json.FeaturesJson;
import dev.berth.runtime.api.ContainerRuntime;
import dev.berth.runtime.linux.LinuxContainerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The training run behind scripts/build-aot.sh: the commands a container engine sends most,
 * through {@link Cli} in one JVM, so the AOT cache holds the classes each of them loads; the
 * last one goes through {@link Main} itself, whose exit ends the training. Not a test.
 *
 * <pre>AotTraining BUNDLE ROOT</pre>
 * BUNDLE runs a short process (/bin/true); ROOT is a scratch state directory.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        String bundle = args[0];
        String root = args[1];
        Path scratch = Files.createTempDirectory("berth-aot-spec");
        Cli cli = new Cli(new Runtimes(), new Specs(), System.in, System.out, System.err, Path.of("").toAbsolutePath());
        String[][] commands = {
            {"--version"},
            {"features"},
            {"spec", "--bundle", scratch.toString()},
            {"--root", root, "create", "--bundle", bundle, "aot-1"},
            {"--root", root, "state", "aot-1"},
            {"--root", root, "list"},
            {"--root", root, "list", "--format", "json"},
            {"--root", root, "start", "aot-1"},
            {"--root", root, "delete", "--force", "aot-1"},
            {"--root", root, "run", "--bundle", bundle, "aot-2"},
            {"--root", root, "delete", "aot-missing"},
        };
        for (String[] c : commands) {
            cli.run(c);
        }
        Files.deleteIfExists(scratch.resolve("config.json"));
        Files.deleteIfExists(scratch);
        Main.main(new String[] {"--root", root, "run", "--bundle", bundle, "aot-3"});
    }

    private static final class Runtimes implements Function<Path, ContainerRuntime> {
        @Override
        public ContainerRuntime apply(Path root) {
            return LinuxContainerRuntime.openForCli(root, LinuxContainerRuntime.defaultHelper());
        }
    }

    private static final class Specs implements SpecSource {
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
