package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.output.Fields;
import dev.berth.client.DaemonException;
import dev.berth.client.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth rmi} and {@code berth image rm}: DELETE /images/{name}, "Untagged:"/"Deleted:" lines. */
@Command(name = "rmi", description = "Remove one or more images")
public final class RmiCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Force removal of the image")
    boolean force;

    @Option(names = "--no-prune", description = "Do not delete untagged parents")
    boolean noPrune;

    @Parameters(arity = "1..*", paramLabel = "IMAGE")
    List<String> images;

    public RmiCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Query query = Query.of().flag("force", force).flag("noprune", noPrune);
        List<String> errors = new ArrayList<>();
        for (String image : images) {
            try {
                Object answer = cli.client().deleteJson("/images/" + PathSegment.escape(image), query);
                for (Map<String, Object> item : Fields.objects(answer)) {
                    String deleted = Fields.string(item.get("Deleted"));
                    if (!deleted.isEmpty()) {
                        cli.out.println("Deleted: " + deleted);
                    } else {
                        cli.out.println("Untagged: " + Fields.string(item.get("Untagged")));
                    }
                }
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
