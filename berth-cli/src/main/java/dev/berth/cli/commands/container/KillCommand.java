package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.client.Query;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth kill}: POST /containers/{id}/kill, each name printed once signalled. */
@Command(name = "kill", description = "Kill one or more running containers")
public final class KillCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-s", "--signal"}, description = "Signal to send to the container")
    String signal;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    public KillCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Query query = Query.of().optional("signal", signal);
        return EachObject.run(cli, containers, name -> cli.client().postJson(ContainerPath.of(name, "/kill"), query));
    }
}
