package dev.berth.cli.commands.volume;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.commands.PathSegment;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth volume rm}: DELETE /volumes/{name} for each, the name printed as it goes. */
@Command(name = "rm", description = "Remove one or more volumes")
public final class VolumeRmCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Force the removal of one or more volumes")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "VOLUME")
    List<String> volumes;

    public VolumeRmCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Query query = Query.of().flag("force", force);
        List<String> errors = new ArrayList<>();
        for (String name : volumes) {
            try {
                cli.client().deleteJson("/volumes/" + PathSegment.escape(name), query);
                cli.out.println(name);
            } catch (DaemonException e) {
                errors.add(e.describe());
            }
        }
        if (!errors.isEmpty()) {
            throw new CommandFailed(String.join("\n", errors));
        }
        return 0;
    }
}
