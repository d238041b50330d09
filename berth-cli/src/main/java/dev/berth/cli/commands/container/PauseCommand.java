package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code berth pause}: POST /containers/{id}/pause (the cgroup freezer), each name printed. */
@Command(name = "pause", description = "Pause all processes within one or more containers")
public final class PauseCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    public PauseCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        return EachObject.run(cli, containers, name -> cli.client().postJson(ContainerPath.of(name, "/pause"), null));
    }
}
