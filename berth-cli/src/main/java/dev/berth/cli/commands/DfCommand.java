package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.TemplateException;
import dev.berth.cli.output.DiskUsage;
import dev.berth.cli.output.Fields;
import dev.berth.cli.output.Listing;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth system df}: GET /system/df as docker's summary, or its sections with -v. */
@Command(name = "df", description = "Show berth disk usage")
public final class DfCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-v", "--verbose"}, description = "Show detailed information on space usage")
    boolean verbose;

    @Option(names = "--format", description = "Format output using a custom template")
    String format;

    public DfCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Map<String, Object> df = Fields.object(cli.client().getJson("/system/df", null));
        try {
            if (verbose && (format == null || format.isEmpty() || format.equals("table"))) {
                cli.out.print(DiskUsage.verbose(df, cli.clock.instant(), cli.zone));
            } else {
                cli.out.print(Listing.render(format, DiskUsage.SUMMARY_TABLE, DiskUsage.summaryHeaders(),
                        DiskUsage.summary(df)));
            }
        } catch (TemplateException e) {
            throw new CommandFailed(e.getMessage());
        }
        return 0;
    }
}
