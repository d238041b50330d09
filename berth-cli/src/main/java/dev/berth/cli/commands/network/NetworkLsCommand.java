package dev.berth.cli.commands.network;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.TemplateException;
import dev.berth.cli.output.Fields;
import dev.berth.cli.output.Listing;
import dev.berth.cli.output.NetworkRows;
import dev.berth.client.Query;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth network ls}: GET /networks as docker's table, sorted by name. */
@Command(name = "ls", description = "List networks")
public final class NetworkLsCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--filter"}, description = "Provide filter values (e.g. \"driver=bridge\")")
    List<String> filters;

    @Option(names = "--format", description = "Format output using a custom template")
    String format;

    @Option(names = "--no-trunc", description = "Do not truncate the output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only display network IDs")
    boolean quiet;

    public NetworkLsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Filters f = Filters.parse(filters, spec, "-f, --filter");
        Query query = Query.of();
        if (!f.isEmpty()) {
            query.add("filters", f.toJson());
        }
        List<java.util.Map<String, Object>> networks = Fields.objects(cli.client().getJson("/networks", query));
        String source = format == null || format.isEmpty() || format.equals("table") ? (quiet ? "{{.ID}}" : "table")
                : format.equals("raw") ? (quiet ? "network_id: {{.ID}}" : NetworkRows.RAW) : format;
        try {
            cli.out.print(Listing.render(source, NetworkRows.DEFAULT_TABLE, NetworkRows.HEADERS,
                    NetworkRows.rows(networks, !noTrunc, ZoneId.systemDefault())));
        } catch (TemplateException e) {
            throw new CommandFailed(e.getMessage());
        }
        return 0;
    }
}
