package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.output.ImageName;
import dev.berth.cli.registry.ImageStreams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth pull}: docker pull's conversation. "Using default tag: latest" for a bare name,
 * POST /images/create with the stored login in X-Registry-Auth, the daemon's progress drawn as
 * docker draws it (bars on a terminal, a line per step otherwise; nothing with -q), then the full
 * reference ({@code docker.io/library/busybox:latest}) on the last line.
 */
@Command(name = "pull", description = "Download an image from a registry",
        customSynopsis = "berth pull [OPTIONS] NAME[:TAG|@DIGEST]")
public final class PullCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all-tags"}, description = "Download all tagged images in the repository")
    boolean allTags;

    @Option(names = "--platform", description = "Set platform if server is multi-platform capable")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;

    @Option(names = "--disable-content-trust", arity = "0..1", fallbackValue = "true",
            description = "Skip image verification (default true)")
    Boolean disableContentTrust;

    @Parameters(index = "0", paramLabel = "NAME[:TAG|@DIGEST]")
    String name;

    public PullCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        ImageName image = References.forTransfer(name, allTags, quiet, cli.out);
        String chosen = platform != null ? platform : cli.env.getOrDefault("DOCKER_DEFAULT_PLATFORM", "");
        ImageStreams.pull(cli, image, allTags, chosen,
                quiet ? ImageStreams.Screen.discard() : ImageStreams.Screen.of(cli, cli.out, 1));
        cli.out.println(image.full());
        return 0;
    }
}
