package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.container.ContainerFlags;
import dev.berth.cli.container.CreateBody;
import dev.berth.cli.container.Creator;
import dev.berth.cli.tty.RawTerminal;
import dev.berth.cli.tty.WindowSize;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code berth create}: docker run's flags and create request, nothing started; prints the id.
 * The daemon's refusal is "Error response from daemon: …" with status 1, as docker create says it.
 */
@Command(name = "create", description = "Create a new container",
        customSynopsis = "berth create [OPTIONS] IMAGE [COMMAND] [ARG...]")
public final class CreateCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Mixin
    ContainerFlags flags;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    public CreateCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        WindowSize console = flags.tty && cli.isTerminal(1) ? RawTerminal.size(1).orElse(null) : null;
        CreateBody.Request request = CreateBody.build(flags, false, image, command, cli.env, console);
        cli.out.println(Creator.create(cli, image, flags.name, request.body(),
                    Creator.PullOptions.of(flags, cli.env)));
        return 0;
    }
}
