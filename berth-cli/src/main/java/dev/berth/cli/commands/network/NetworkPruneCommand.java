package dev.berth.cli.commands.network;

import dev.berth.cli.Cli;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.commands.Prompt;
import dev.berth.cli.output.Fields;
import dev.berth.client.Query;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth network prune}: POST /networks/prune after docker's prompt; the removed networks listed. */
@Command(name = "prune", description = "Remove all unused networks")
public final class NetworkPruneCommand implements Callable<Integer> {
    static final String WARNING = "WARNING! This will remove all custom networks not used by at least one container.\n"
            + "Are you sure you want to continue?";

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = "--filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    public NetworkPruneCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        Filters f = Filters.parse(filters, spec, "--filter");
        if (!force && !Prompt.confirm(cli, WARNING)) {
            return 0;
        }
        Query query = Query.of();
        if (!f.isEmpty()) {
            query.add("filters", f.toJson());
        }
        Map<String, Object> report = Fields.object(cli.client().postJson("/networks/prune", query));
        List<String> deleted = Fields.strings(report.get("NetworksDeleted"));
        if (!deleted.isEmpty()) {
            cli.out.println("Deleted Networks:\n" + String.join("\n", deleted) + "\n");
        }
        return 0;
    }
}
