package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.Template;
import dev.berth.cli.format.TemplateException;
import dev.berth.cli.output.ContainerRows;
import dev.berth.cli.output.Fields;
import dev.berth.cli.output.Listing;
import dev.berth.client.Query;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code berth ps} and {@code berth container ls}: GET /containers/json as docker's table. */
@Command(name = "ps", description = "List containers")
public final class PsCommand implements Callable<Integer> {
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = {"-f", "--filter"}, description = "Filter output based on conditions provided")
    List<String> filters;

    @Option(names = "--format", description = "Format output using a custom template")
    String format;

    @Option(names = {"-n", "--last"}, defaultValue = "-1", description = "Show n last created containers (includes all states)")
    int last;

    @Option(names = {"-l", "--latest"}, description = "Show the latest created container (includes all states)")
    boolean latest;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs")
    boolean quiet;

    @Option(names = {"-s", "--size"}, arity = "0..1", fallbackValue = "true", description = "Display total file sizes")
    Boolean size;

    public PsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        String source = format == null ? "" : format;
        if (!source.isEmpty()) {
            validate(source);
        }
        boolean withSize = Boolean.TRUE.equals(size);
        // as docker: a custom template that shows .Size asks for sizes unless --size=false said not to
        if (size == null && !quiet && !source.isEmpty() && !source.equals("table") && !source.equals("json")
                && source.contains(".Size")) {
            withSize = true;
        }
        int limit = latest && last == -1 ? 1 : last;
        Query query = Query.of().flag("all", all).flag("size", withSize);
        if (limit > 0) {
            query.add("limit", Integer.toString(limit));
        }
        Filters f = Filters.parse(filters, spec, "-f, --filter");
        if (!f.isEmpty()) {
            query.add("filters", f.toJson());
        }
        String table = ContainerRows.DEFAULT_TABLE + (withSize ? "\t{{.Size}}" : "");
        if (quiet) {
            if (!source.isEmpty() && !source.equals("table")) {
                cli.err.println("WARNING: Ignoring custom format, because both --format and --quiet are set.");
            }
            source = "{{.ID}}";
        } else if (source.equals("raw")) {
            source = withSize ? ContainerRows.RAW + "size: {{.Size}}\n" : ContainerRows.RAW;
        }
        var rows = ContainerRows.rows(Fields.objects(cli.client().getJson("/containers/json", query)), !noTrunc,
                cli.clock.instant(), cli.zone);
        try {
            cli.out.print(Listing.render(source, table, ContainerRows.HEADERS, rows));
        } catch (TemplateException e) {
            throw new CommandFailed(e.getMessage());
        }
        return 0;
    }

    /** docker checks a --format template before it asks the daemon: parsed, then run on an empty container. */
    private static void validate(String source) {
        Template template;
        try {
            template = Template.parse(source);
        } catch (TemplateException e) {
            throw new CommandFailed("failed to parse template: " + e.getMessage());
        }
        try {
            template.execute(ContainerRows.row(Map.of(), true, Instant.EPOCH, ZoneOffset.UTC));
        } catch (TemplateException e) {
            throw new CommandFailed("failed to execute template: " + e.getMessage());
        }
    }
}
