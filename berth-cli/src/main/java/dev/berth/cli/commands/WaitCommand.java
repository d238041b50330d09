package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.container.ContainerApi;
import dev.berth.client.DaemonException;
import dev.berth.client.ApiResponse;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code berth wait CONTAINER...}: each container's exit status, one a line, in order. */
@Command(name = "wait", description = "Block until one or more containers stop, then print their exit codes")
public final class WaitCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> containers;

    public WaitCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        boolean failed = false;
        for (String name : containers) {
            try (ApiResponse response = cli.client().send("POST", "/containers/" + ContainerApi.segment(name) + "/wait",
                    null, null, null, null)) {
                JsonObject body = JsonObject.root("wait", Json.parse(response.text().strip(), "wait"));
                String message = body.object("Error").flatMap(e -> e.string("Message")).orElse("");
                if (!message.isEmpty()) {
                    cli.out.flush();
                    cli.err.println(message);
                    failed = true;
                    continue;
                }
                cli.out.println(body.int64("StatusCode").orElse(0L));
                cli.out.flush();
            } catch (DaemonException e) {
                cli.out.flush();
                cli.err.println(e.describe());
                failed = true;
            }
        }
        if (failed) {
            throw new CommandFailed("");
        }
        return 0;
    }
}
