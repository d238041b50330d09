package dev.berth.cli.commands.volume;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.commands.Inspector;
import dev.berth.cli.commands.PathSegment;
import dev.berth.client.ApiResponse;
import dev.berth.client.DaemonException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth volume inspect}: GET /volumes/{name} for each, indented as docker's. */
@Command(name = "inspect", description = "Display detailed information on one or more volumes")
public final class VolumeInspectCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--format"}, description = "Format output using a custom template")
    String format;

    @Parameters(arity = "1..*", paramLabel = "VOLUME")
    List<String> volumes;

    public VolumeInspectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Inspector inspector = new Inspector(cli, format);
        List<String> errors = new ArrayList<>();
        for (String name : volumes) {
            try (ApiResponse r = cli.client().send("GET", "/volumes/" + PathSegment.escape(name), null, null, null, null)) {
                inspector.add(r.text(), errors);
            } catch (DaemonException e) {
                errors.add(e.describe());
            }
        }
        return inspector.finish(errors);
    }
}
