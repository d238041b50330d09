package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code berth rename}: POST /containers/{id}/rename?name=…; prints nothing, as docker. */
@Command(name = "rename", description = "Rename a container")
public final class RenameCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", paramLabel = "NEW_NAME")
    String newName;

    public RenameCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        String old = container.strip();
        String name = newName.strip();
        if (old.isEmpty() || name.isEmpty()) {
            throw new CommandFailed("Error: Neither old nor new names may be empty");
        }
        try {
            cli.client().postJson(ContainerPath.of(old, "/rename"), Query.of().add("name", name));
        } catch (DaemonException e) {
            throw new CommandFailed(e.describe() + "\nError: failed to rename container named " + old);
        }
        return 0;
    }
}
