package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.output.JsonMessages;
import dev.berth.client.ApiResponse;
import dev.berth.client.Query;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth load}: streams a tar (docker-archive or OCI layout) from a file or stdin to POST
 * /images/load and shows the daemon's messages ("Loaded image: busybox:latest").
 */
@Command(name = "load", description = "Load an image from a tar archive or STDIN")
public final class LoadCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-i", "--input"}, description = "Read from tar archive file, instead of STDIN")
    String input;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the load output")
    boolean quiet;

    public LoadCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        if ((input == null || input.isEmpty()) && cli.isTerminal(0)) {
            throw new CommandFailed("requested load from stdin, but stdin is empty");
        }
        // off a terminal docker asks for the quiet stream: no progress bars to draw
        boolean terminal = cli.isTerminal(1);
        Query query = Query.of().flag("quiet", quiet || !terminal);
        try (InputStream body = open();
                ApiResponse response = cli.client().send("POST", "/images/load", query, "application/x-tar", null, body)) {
            String type = response.header("Content-Type");
            if (type != null && type.startsWith("application/json")) {
                JsonMessages.display(response.body(), cli.out, terminal);
            } else {
                response.body().transferTo(cli.out);
            }
        } catch (JsonMessages.StreamError e) {
            throw new CommandFailed(e.getMessage());
        }
        return 0;
    }

    private InputStream open() throws IOException {
        if (input == null || input.isEmpty()) {
            return cli.in;
        }
        try {
            return Files.newInputStream(Path.of(input));
        } catch (NoSuchFileException e) {
            throw new CommandFailed("open " + input + ": no such file or directory");
        }
    }
}
