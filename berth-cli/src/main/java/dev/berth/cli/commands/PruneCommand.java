package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.Units;
import dev.berth.cli.output.Fields;
import dev.berth.client.Query;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth image prune}: POST /images/prune, after docker's confirmation prompt unless -f. */
@Command(name = "prune", description = "Remove unused images")
public final class PruneCommand implements Callable<Integer> {
    static final String DANGLING_WARNING = "WARNING! This will remove all dangling images.\nAre you sure you want to continue?";
    static final String ALL_WARNING = "WARNING! This will remove all images without at least one container associated to them.\n"
            + "Are you sure you want to continue?";

    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Remove all unused images, not just dangling ones")
    boolean all;

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters;

    public PruneCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        Filters f = Filters.parse(filters).add("dangling", Boolean.toString(!all));
        if (!force && !Prompt.confirm(cli, all ? ALL_WARNING : DANGLING_WARNING)) {
            return 0; // docker 28: declining is not a failure
        }
        Map<String, Object> report = Fields.object(cli.client().postJson("/images/prune",
                Query.of().add("filters", f.toJson())));
        List<Map<String, Object>> deleted = Fields.objects(report.get("ImagesDeleted"));
        if (!deleted.isEmpty()) {
            StringBuilder out = new StringBuilder("Deleted Images:\n");
            for (Map<String, Object> item : deleted) {
                String untagged = Fields.string(item.get("Untagged"));
                if (!untagged.isEmpty()) {
                    out.append("untagged: ").append(untagged).append('\n');
                } else {
                    out.append("deleted: ").append(Fields.string(item.get("Deleted"))).append('\n');
                }
            }
            cli.out.println(out);
        }
        cli.out.println("Total reclaimed space: " + Units.humanSize(Fields.number(report.get("SpaceReclaimed"))));
        return 0;
    }
}
