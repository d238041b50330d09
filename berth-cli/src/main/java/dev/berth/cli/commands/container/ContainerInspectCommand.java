package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.commands.Inspector;
import dev.berth.client.ApiResponse;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth container inspect}: the daemon's JSON for each container, indented as docker's. */
@Command(name = "inspect", description = "Display detailed information on one or more containers")
public final class ContainerInspectCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, description = "Format output using a custom template")
    String format;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes")
    boolean size;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    public ContainerInspectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Inspector inspector = new Inspector(cli, format);
        List<String> errors = new ArrayList<>();
        for (String name : containers) {
            try {
                inspector.add(raw(cli, name, size), errors);
            } catch (DaemonException e) {
                errors.add(e.describe());
            }
        }
        return inspector.finish(errors);
    }

    /** GET /containers/{name}/json as sent (docker re-indents it, it does not re-encode it). */
    public static String raw(Cli cli, String name, boolean size) {
        try (ApiResponse r = cli.client().send("GET", ContainerPath.of(name, "/json"), Query.of().flag("size", size),
                null, null, null)) {
            return r.text();
        }
    }
}
