package dev.berth.cli.commands.network;

import dev.berth.cli.Cli;
import dev.berth.cli.HelpOption;
import dev.berth.cli.commands.PathSegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth network disconnect}: POST /networks/{id}/disconnect. */
@Command(name = "disconnect", description = "Disconnect a container from a network")
public final class NetworkDisconnectCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-f", "--force"}, description = "Force the container to disconnect from a network")
    boolean force;

    @Parameters(index = "0", paramLabel = "NETWORK")
    String network;

    @Parameters(index = "1", paramLabel = "CONTAINER")
    String container;

    public NetworkDisconnectCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Container", container);
        body.put("Force", force);
        cli.client().postJson("/networks/" + PathSegment.escape(network) + "/disconnect", null, body);
        return 0;
    }
}
