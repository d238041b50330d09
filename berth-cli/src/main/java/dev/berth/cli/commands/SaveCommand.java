package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.output.ArchiveOutput;
import dev.berth.client.ApiResponse;
import dev.berth.client.Query;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth save}: GET /images/get?names=… streamed to a file (written beside it and renamed
 * into place, as docker does) or to stdout, which must not be a terminal.
 * {@code --format oci} asks berthd for an OCI image layout instead of a docker-archive.
 */
@Command(name = "save", description = "Save one or more images to a tar archive (streamed to STDOUT by default)")
public final class SaveCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-o", "--output"}, description = "Write to a file, instead of STDOUT")
    String output;

    @Option(names = "--format", description = "berth: archive format, docker (default) or oci")
    String format;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    public SaveCommand(Cli cli) {
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
            Path dir = target.getParent();
            if (!Files.isDirectory(dir)) {
                throw new CommandFailed("failed to save image: invalid output path: directory \"" + dir
                        + "\" does not exist");
            }
            if (Files.isDirectory(target)) {
                throw new CommandFailed("failed to save image: invalid output path: \"" + target + "\" is a directory");
            }
        }
        Query query = Query.of();
        for (String image : images) {
            query.add("names", image);
        }
        if (format != null && !format.isEmpty() && !format.equals("docker")) {
            if (!format.equals("oci")) {
                throw new CommandFailed("invalid --format " + format + ": docker or oci");
            }
            query.add("format", format);
        }
        try (ApiResponse response = cli.client().send("GET", "/images/get", query, null, null, null)) {
            ArchiveOutput.write(response.body(), target, cli.out);
        }
        return 0;
    }
}
