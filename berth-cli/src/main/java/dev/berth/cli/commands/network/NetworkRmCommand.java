package dev.berth.cli.commands.network;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.commands.PathSegment;
import dev.berth.client.DaemonException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth network rm}: DELETE /networks/{id} for each, the name printed as it goes, each
 * error printed at once and "exit status 1" at the end, as docker 28 does. With -f a network that does
 * not exist is no error. (docker asks first whether it is swarm's ingress network; berth has none.)
 */
@Command(name = "rm", description = "Remove one or more networks")
public final class NetworkRmCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Do not error if the network does not exist")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "NETWORK")
    List<String> networks;

    public NetworkRmCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        boolean failed = false;
        for (String name : networks) {
            try {
                cli.client().deleteJson("/networks/" + PathSegment.escape(name), null);
                cli.out.println(name);
            } catch (DaemonException e) {
                if (force && e.status() == 404) {
                    continue;
                }
                cli.out.flush();
                cli.err.println(e.describe());
                failed = true;
            }
        }
        if (failed) {
            // docker's cli.StatusError prints its status text
            throw new CommandFailed("exit status 1", 1);
        }
        return 0;
    }
}
