package dev.berth.cli.commands.volume;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.commands.Prompt;
import dev.berth.cli.format.Units;
import dev.berth.cli.output.Fields;
import dev.berth.client.ApiVersion;
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

/**
 * {@code berth volume prune}: POST /volumes/prune. From API 1.42 the daemon prunes only anonymous
 * volumes unless the filter {@code all=true} (-a) says otherwise; older daemons prune them all.
 */
@Command(name = "prune", description = "Remove unused local volumes")
public final class VolumePruneCommand implements Callable<Integer> {
    static final String ANONYMOUS_WARNING = "WARNING! This will remove anonymous local volumes not used by at least one "
            + "container.\nAre you sure you want to continue?";
    static final String ALL_WARNING = "WARNING! This will remove all local volumes not used by at least one container.\n"
            + "Are you sure you want to continue?";

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Remove all unused volumes, not just anonymous ones")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--filter", description = "Provide filter values (e.g. \"label=<label>\")")
    List<String> filters;

    public VolumePruneCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        Filters f = Filters.parse(filters, spec, "--filter");
        boolean modern = ApiVersion.compare(cli.client().apiVersion(), "1.42") >= 0;
        if (all) {
            if (!modern) {
                throw new CommandFailed("\"--all\" requires API version 1.42, but the Docker daemon API version is "
                        + cli.client().apiVersion());
            }
            f.add("all", "true");
        }
        String warning = all || !modern ? ALL_WARNING : ANONYMOUS_WARNING;
        if (!force && !Prompt.confirm(cli, warning)) {
            return 0;
        }
        Query query = Query.of();
        if (!f.isEmpty()) {
            query.add("filters", f.toJson());
        }
        Map<String, Object> report = Fields.object(cli.client().postJson("/volumes/prune", query));
        List<String> deleted = Fields.strings(report.get("VolumesDeleted"));
        if (!deleted.isEmpty()) {
            cli.out.println("Deleted Volumes:\n" + String.join("\n", deleted) + "\n");
        }
        cli.out.println("Total reclaimed space: " + Units.humanSize(Fields.number(report.get("SpaceReclaimed"))));
        return 0;
    }
}
