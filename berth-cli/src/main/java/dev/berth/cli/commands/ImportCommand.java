package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.output.ImageName;
import dev.berth.cli.output.JsonMessages;
import dev.berth.client.ApiResponse;
import dev.berth.client.Query;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth import file|URL|- [REPOSITORY[:TAG]]}: POST /images/create?fromSrc=… with the
 * rootfs tarball as the body (a URL is fetched by the daemon, as with docker).
 */
@Command(name = "import", description = "Import the contents from a tarball to create a filesystem image")
public final class ImportCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-c", "--change"}, description = "Apply Dockerfile instruction to the created image")
    List<String> changes;

    @Option(names = {"-m", "--message"}, description = "Set commit message for imported image")
    String message;

    @Option(names = "--platform", description = "Set platform if server is multi-platform capable")
    String platform;

    @Parameters(index = "0", paramLabel = "file|URL|-")
    String source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

    public ImportCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        Query query = Query.of();
        InputStream body = null;
        if (source.equals("-")) {
            body = cli.in;
            query.add("fromSrc", "-");
        } else if (source.startsWith("http://") || source.startsWith("https://")) {
            query.add("fromSrc", source);
        } else {
            try {
                body = Files.newInputStream(Path.of(source));
            } catch (NoSuchFileException e) {
                throw new CommandFailed("open " + source + ": no such file or directory");
            }
            query.add("fromSrc", "-");
        }
        if (reference != null && !reference.isEmpty()) {
            try {
                ImageName.parse(reference);
            } catch (IllegalArgumentException e) {
                throw new CommandFailed(e.getMessage());
            }
            query.add("repo", reference);
        }
        query.optional("message", message).optional("platform", platform == null ? null : platform.toLowerCase());
        if (changes != null) {
            for (String change : changes) {
                query.add("changes", change);
            }
        }
        try (InputStream in = body;
                ApiResponse response = cli.client().send("POST", "/images/create", query,
                        body == null ? null : "text/plain", null, in)) {
            JsonMessages.display(response.body(), cli.out, cli.isTerminal(1));
        } catch (JsonMessages.StreamError e) {
            throw new CommandFailed(e.getMessage());
        }
        return 0;
    }
}
