package dev.berth.cli.commands.volume;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.TemplateException;
import dev.berth.cli.output.Fields;
import dev.berth.cli.output.Listing;
import dev.berth.cli.output.VolumeRows;
import dev.berth.client.Query;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code berth volume ls}: GET /volumes as docker's table, sorted by name. */
@Command(name = "ls", description = "List volumes")
public final class VolumeLsCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--filter"}, description = "Provide filter values (e.g. \"dangling=true\")")
    List<String> filters;

    @Option(names = "--format", description = "Format output using a custom template")
    String format;

    @Option(names = {"-q", "--quiet"}, description = "Only display volume names")
    boolean quiet;

    public VolumeLsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Filters f = Filters.parse(filters, spec, "-f, --filter");
        Query query = Query.of();
        if (!f.isEmpty()) {
            query.add("filters", f.toJson());
        }
        Map<String, Object> answer = Fields.object(cli.client().getJson("/volumes", query));
        String source = quiet ? "{{.Name}}" : format;
        try {
            cli.out.print(Listing.render(source, VolumeRows.DEFAULT_TABLE, VolumeRows.HEADERS,
                    VolumeRows.rows(Fields.objects(answer.get("Volumes")))));
        } catch (TemplateException e) {
            throw new CommandFailed(e.getMessage());
        }
        return 0;
    }
}
