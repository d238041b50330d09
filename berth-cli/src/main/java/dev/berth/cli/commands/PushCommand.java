package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.output.ImageName;
import dev.berth.cli.registry.ImageStreams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth push}: docker push's conversation. "Using default tag: latest" for a bare name,
 * POST /images/{name}/push?tag= with the stored login in X-Registry-Auth (every tag with -a),
 * the daemon's progress drawn as docker draws it; with -q only the reference pushed.
 */
@Command(name = "push", description = "Upload an image to a registry",
        customSynopsis = "berth push [OPTIONS] NAME[:TAG]")
public final class PushCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all-tags"}, description = "Push all tags of an image to the repository")
    boolean allTags;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;

    @Option(names = "--disable-content-trust", arity = "0..1", fallbackValue = "true",
            description = "Skip image signing (default true)")
    Boolean disableContentTrust;

    @Parameters(index = "0", paramLabel = "NAME[:TAG]")
    String name;

    public PushCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        ImageName image = References.forTransfer(name, allTags, quiet, cli.out);
        if (image.digest() != null) {
            throw new CommandFailed("cannot push a digest reference");
        }
        if (quiet) {
            ImageStreams.push(cli, image, allTags, ImageStreams.Screen.discard());
            cli.out.println(image.full());
        } else {
            ImageStreams.push(cli, image, allTags, ImageStreams.Screen.of(cli, cli.out, 1));
        }
        return 0;
    }
}
