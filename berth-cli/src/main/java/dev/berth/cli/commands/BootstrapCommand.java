package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.output.ImageName;
import dev.berth.cli.output.JsonMessages;
import dev.berth.client.ApiResponse;
import dev.berth.client.Query;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth image bootstrap busybox|debian [--tag T]} (berth only): asks berthd to build a
 * base image without a registry, from the host's busybox-static or with debootstrap, through
 * {@code POST /berth/images/bootstrap?name=…&tag=…}; the answer is a JSON message stream like
 * import's.
 */
@Command(name = "bootstrap", description = "Make a base image from the host (busybox-static or debootstrap)")
public final class BootstrapCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-t", "--tag"}, description = "Name and tag of the image (default NAME:latest)")
    String tag;

    @Parameters(index = "0", paramLabel = "busybox|debian")
    String name;

    public BootstrapCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        if (!name.equals("busybox") && !name.equals("debian")) {
            throw new CommandFailed("unknown base image \"" + name + "\": busybox or debian");
        }
        Query query = Query.of().add("name", name);
        if (tag != null && !tag.isEmpty()) {
            try {
                ImageName.parse(tag);
            } catch (IllegalArgumentException e) {
                throw new CommandFailed("Error parsing reference: \"" + tag + "\" is not a valid repository/tag: "
                        + e.getMessage());
            }
            query.add("tag", tag);
        }
        try (ApiResponse response = cli.client().send("POST", "/berth/images/bootstrap", query, null, null, null)) {
            String type = response.header("Content-Type");
            if (type != null && type.startsWith("application/json")) {
                JsonMessages.display(response.body(), cli.out, cli.isTerminal(1));
            } else {
                response.body().transferTo(cli.out);
            }
        } catch (JsonMessages.StreamError e) {
            throw new CommandFailed(e.getMessage());
        }
        return 0;
    }
}
