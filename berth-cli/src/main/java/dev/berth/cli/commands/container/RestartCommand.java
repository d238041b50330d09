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

/** {@code berth restart}: POST /containers/{id}/restart, each name printed as it restarts. */
@Command(name = "restart", description = "Restart one or more containers")
public final class RestartCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-s", "--signal"}, description = "Signal to send to the container")
    String signal;

    @Option(names = {"-t", "--timeout"}, description = "Seconds to wait before killing the container")
    Integer timeout;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    public RestartCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Query query = Query.of().optional("signal", signal);
        if (timeout != null) {
            query.add("t", timeout.toString());
        }
        return EachObject.run(cli, containers, name -> cli.client().postJson(ContainerPath.of(name, "/restart"), query));
    }
}
