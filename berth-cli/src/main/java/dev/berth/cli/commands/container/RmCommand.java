package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.client.Query;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth rm}: DELETE /containers/{id}, each name printed as it goes. */
@Command(name = "rm", description = "Remove one or more containers")
public final class RmCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL)")
    boolean force;

    @Option(names = {"-l", "--link"}, description = "Remove the specified link")
    boolean link;

    @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container")
    boolean volumes;

    @Parameters(arity = "1..*", paramLabel = "CONTAINER")
    List<String> containers;

    public RmCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Query query = Query.of().flag("force", force).flag("link", link).flag("v", volumes);
        return EachObject.printing(cli, containers, name -> {
            String trimmed = trim(name);
            if (trimmed.isEmpty()) {
                throw new CommandFailed("Container name cannot be empty");
            }
            cli.client().deleteJson(ContainerPath.of(trimmed, ""), query);
            return trimmed;
        });
    }

    /** docker trims the slashes around a name ("/web" is "web"). */
    private static String trim(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && name.charAt(start) == '/') {
            start++;
        }
        while (end > start && name.charAt(end - 1) == '/') {
            end--;
        }
        return name.substring(start, end);
    }
}
