package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.client.DaemonException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth image inspect}: the daemon's JSON for each image, indented as docker's. */
@Command(name = "inspect", description = "Display detailed information on one or more images")
public final class ImageInspectCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, description = "Format output using a custom template")
    String format;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    public ImageInspectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Inspector inspector = new Inspector(cli, format);
        List<String> errors = new ArrayList<>();
        for (String image : images) {
            try {
                inspector.add(ImageRequests.inspectRaw(cli.client(), image), errors);
            } catch (DaemonException e) {
                errors.add(e.describe());
            }
        }
        return inspector.finish(errors);
    }
}
