package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.TabWriter;
import dev.berth.cli.output.Fields;
import dev.berth.client.Query;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code berth top CONTAINER [ps OPTIONS]}: GET /containers/{id}/top?ps_args=…, the titles and
 * processes through a tabwriter of minimum width 20 as docker's.
 */
@Command(name = "top", description = "Display the running processes of a container")
public final class TopCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "ps OPTIONS", hidden = true)
    // everything after the container is ps's (the group sets stop-at-positional, as cobra's SetInterspersed(false))
    List<String> psArgs;

    public TopCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Query query = Query.of();
        List<String> args = new java.util.ArrayList<>();
        if (psArgs != null) {
            args.addAll(psArgs);
        }
        if (!args.isEmpty()) {
            query.add("ps_args", String.join(" ", args));
        }
        Map<String, Object> top = Fields.object(cli.client().getJson(ContainerPath.of(container, "/top"), query));
        TabWriter writer = new TabWriter(20, 3);
        writer.write(String.join("\t", Fields.strings(top.get("Titles"))) + "\n");
        for (Object process : top.get("Processes") instanceof List<?> l ? l : List.of()) {
            writer.write(String.join("\t", Fields.strings(process)) + "\n");
        }
        cli.out.print(writer.flush());
        return 0;
    }
}
