package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.output.ArchiveOutput;
import dev.berth.client.ApiResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth export}: GET /containers/{id}/export (a tar of the container's filesystem) to a
 * file, written beside it and renamed into place, or to stdout when it is not a terminal.
 */
@Command(name = "export", description = "Export a container's filesystem as a tar archive")
public final class ExportCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-o", "--output"}, description = "Write to a file, instead of STDOUT")
    String output;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    public ExportCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        if ((output == null || output.isEmpty()) && cli.isTerminal(1)) {
            throw new CommandFailed("cowardly refusing to save to a terminal. Use the -o flag or redirect");
        }
        Path target = null;
        if (output != null && !output.isEmpty()) {
            target = Path.of(output).toAbsolutePath();
            if (!Files.isDirectory(target.getParent())) {
                throw new CommandFailed("failed to export container: invalid output path: stat " + target.getParent()
                        + ": no such file or directory");
            }
            if (Files.isDirectory(target)) {
                throw new CommandFailed("failed to export container: cannot write to a directory");
            }
        }
        try (ApiResponse response = cli.client().send("GET", ContainerPath.of(container, "/export"), null, null, null,
                null)) {
            ArchiveOutput.write(response.body(), target, cli.out);
        }
        return 0;
    }
}
