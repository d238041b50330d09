package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.Filters;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.TemplateException;
import dev.berth.cli.output.Fields;
import dev.berth.cli.output.ImageRows;
import dev.berth.cli.output.Listing;
import dev.berth.cli.output.Row;
import dev.berth.client.Query;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth images} and {@code berth image ls}: GET /images/json as docker's table. */
@Command(name = "images", description = "List images")
public final class ImagesCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--all"}, description = "Show all images (default hides intermediate images)")
    boolean all;

    @Option(names = "--digests", description = "Show digests")
    boolean digests;

    @Option(names = {"-f", "--filter"}, description = "Filter output based on conditions provided")
    List<String> filters;

    @Option(names = "--format", description = "Format output using a custom template")
    String format;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]")
    String reference;

    public ImagesCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Filters f = Filters.parse(filters);
        if (reference != null && !reference.isEmpty()) {
            f.add("reference", reference);
        }
        Query query = Query.of().flag("all", all);
        if (!f.isEmpty()) {
            query.add("filters", f.toJson());
        }
        List<Row> rows = ImageRows.rows(Fields.objects(cli.client().getJson("/images/json", query)), digests, !noTrunc,
                cli.clock.instant(), cli.zone);
        String source = format == null || format.isEmpty() ? "table" : format;
        String table = quiet ? "{{.ID}}" : digests ? ImageRows.DIGEST_TABLE : ImageRows.DEFAULT_TABLE;
        if (source.equals("table")) {
            source = table;
        } else if (source.startsWith("table") && digests && !source.contains("{{.Digest}}")) {
            // docker adds the digest column when asked for digests with a custom table
            source = source + "\t{{.Digest}}";
        }
        try {
            cli.out.print(Listing.render(source, table, ImageRows.HEADERS, rows));
        } catch (TemplateException e) {
            throw new CommandFailed(e.getMessage());
        }
        return 0;
    }
}
