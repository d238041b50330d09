package dev.berth.runtime.cli;

import java.nio.file.Files;
import java.nio.file.Path;

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
        Cli cli = Main.hostCli();
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
}
