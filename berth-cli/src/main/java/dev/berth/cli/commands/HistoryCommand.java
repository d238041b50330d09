package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.TemplateException;
import dev.berth.cli.output.Fields;
import dev.berth.cli.output.HistoryRows;
import dev.berth.cli.output.Listing;
import dev.berth.cli.output.Row;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth history}: GET /images/{name}/history as docker's table. */
@Command(name = "history", description = "Show the history of an image")
public final class HistoryCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-H", "--human"}, arity = "0..1", fallbackValue = "true", defaultValue = "true",
            description = "Print sizes and dates in human readable format (default true)")
    boolean human = true;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Option(names = "--format", description = "Format output using a custom template")
    String format;

    @Parameters(arity = "1", paramLabel = "IMAGE")
    String image;

    public HistoryCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Object history = cli.client().getJson("/images/" + PathSegment.escape(image) + "/history", null);
        List<Row> rows = HistoryRows.rows(Fields.objects(history), human, !noTrunc, cli.clock.instant(), cli.zone);
        String table = quiet ? "{{.ID}}" : human ? HistoryRows.HUMAN_TABLE : HistoryRows.NON_HUMAN_TABLE;
        String source = format == null || format.isEmpty() || format.equals("table") ? table : format;
        try {
            cli.out.print(Listing.render(source, table, HistoryRows.HEADERS, rows));
        } catch (TemplateException e) {
            throw new CommandFailed(e.getMessage());
        }
        return 0;
    }
}
