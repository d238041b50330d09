package dev.berth.cli.commands.network;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.commands.Inspector;
import dev.berth.cli.commands.PathSegment;
import dev.berth.client.ApiResponse;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth network inspect}: GET /networks/{id} for each (verbose with -v), indented as docker's. */
@Command(name = "inspect", description = "Display detailed information on one or more networks")
public final class NetworkInspectCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, description = "Format output using a custom template")
    String format;

    @Option(names = {"-v", "--verbose"}, description = "Verbose output for diagnostics")
    boolean verbose;

    @Parameters(arity = "1..*", paramLabel = "NETWORK")
    List<String> networks;

    public NetworkInspectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Inspector inspector = new Inspector(cli, format);
        List<String> errors = new ArrayList<>();
        Query query = Query.of().flag("verbose", verbose);
        for (String name : networks) {
            try (ApiResponse r = cli.client().send("GET", "/networks/" + PathSegment.escape(name), query, null, null, null)) {
                inspector.add(r.text(), errors);
            } catch (DaemonException e) {
                errors.add(e.describe());
            }
        }
        return inspector.finish(errors);
    }
}
