package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.output.Fields;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code berth diff}: GET /containers/{id}/changes as "A /x", "C /etc", "D /tmp/y" lines. */
@Command(name = "diff", description = "Inspect changes to files or directories on a container's filesystem")
public final class DiffCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    public DiffCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        for (Map<String, Object> change : Fields.objects(cli.client().getJson(ContainerPath.of(container, "/changes"), null))) {
            cli.out.println(kind(Fields.number(change.get("Kind"))) + " " + Fields.string(change.get("Path")));
        }
        return 0;
    }

    /** The API's change kinds: 0 modified, 1 added, 2 deleted. */
    static String kind(long kind) {
        return switch ((int) kind) {
            case 0 -> "C";
            case 1 -> "A";
            case 2 -> "D";
            default -> "?";
        };
    }
}
