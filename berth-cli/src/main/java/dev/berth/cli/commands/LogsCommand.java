package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.container.ContainerApi;
import dev.berth.cli.container.Timestamps;
import dev.berth.client.ApiResponse;
import dev.berth.client.Query;
import dev.berth.client.StdCopy;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth logs}: inspect (for the id and whether the container has a tty), then GET
 * /containers/{id}/logs; the body is raw for a tty and multiplexed frames otherwise.
 */
@Command(name = "logs", description = "Fetch the logs of a container")
public final class LogsCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = "--details", description = "Show extra details provided to logs")
    boolean details;

    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;

    @Option(names = "--since", description = "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)")
    String since;

    @Option(names = {"-n", "--tail"}, description = "Number of lines to show from the end of the logs (default \"all\")")
    String tail = "all";

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;

    @Option(names = "--until", description = "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)")
    String until;

    @Parameters(paramLabel = "CONTAINER")
    String container;

    public LogsCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        JsonObject c = ContainerApi.inspect(cli.client(), container);
        boolean tty = c.object("Config").flatMap(o -> o.bool("Tty")).orElse(false);
        Query query = Query.of().add("stdout", "1").add("stderr", "1")
                .optional("since", time("since", since)).optional("until", time("until", until))
                .flag("timestamps", timestamps).flag("follow", follow).add("tail", tail).flag("details", details);
        String id = c.string("Id").orElse(container);
        try (ApiResponse response = cli.client().send("GET", "/containers/" + ContainerApi.segment(id) + "/logs", query,
                null, null, null)) {
            InputStream body = response.body();
            if (tty) {
                byte[] buffer = new byte[32 * 1024];
                int n;
                while ((n = body.read(buffer)) >= 0) {
                    cli.out.write(buffer, 0, n);
                    cli.out.flush();
                }
            } else {
                StdCopy.demultiplex(body, cli.out, cli.err);
            }
        } catch (StdCopy.StreamError e) {
            throw new CommandFailed(e.getMessage());
        }
        cli.out.flush();
        return 0;
    }

    private String time(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Timestamps.parse(value, cli.clock.instant(), cli.zone);
        } catch (IllegalArgumentException e) {
            throw new CommandFailed("invalid value for \"" + name + "\": " + e.getMessage());
        }
    }
}
