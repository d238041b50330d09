package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.container.ContainerApi;
import dev.berth.cli.container.Streamer;
import dev.berth.cli.tty.DetachKeys;
import dev.berth.cli.tty.Signals;
import dev.berth.client.DaemonException;
import dev.berth.client.HijackedStream;
import dev.berth.client.Query;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth start [-a] [-i] CONTAINER...}. Without -a/-i: start each, print its name,
 * "Error: failed to start containers: …" at the end for those that failed. With them (one
 * container): attach, wait, start, resize, stream, and exit with the container's status.
 */
@Command(name = "start", description = "Start one or more stopped containers")
public final class StartCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--attach"}, description = "Attach STDOUT/STDERR and forward signals")
    boolean attach;

    @Option(names = {"-i", "--interactive"}, description = "Attach container's STDIN")
    boolean interactive;

    @Option(names = "--detach-keys", description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> containers;

    public StartCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws IOException {
        if (attach || interactive) {
            if (containers.size() > 1) {
                throw new CommandFailed("you cannot start and attach multiple containers at once");
            }
            return attached(containers.getFirst());
        }
        List<String> failed = new ArrayList<>();
        for (String name : containers) {
            try {
                cli.client().send("POST", "/containers/" + ContainerApi.segment(name) + "/start", null, null, null, null)
                        .close();
                cli.out.println(name);
                cli.out.flush();
            } catch (DaemonException e) {
                cli.out.flush();
                cli.err.println(e.describe());
                failed.add(name);
            }
        }
        if (!failed.isEmpty()) {
            throw new CommandFailed("Error: failed to start containers: " + String.join(", ", failed));
        }
        return 0;
    }

    @SuppressWarnings("try") // the signal handlers live as long as the try
    private int attached(String name) throws IOException {
        JsonObject c = ContainerApi.inspect(cli.client(), name);
        String id = c.string("Id").orElse(name);
        JsonObject config = c.object("Config").orElseThrow(() -> c.error("Config", "missing"));
        boolean tty = config.bool("Tty").orElse(false);
        boolean stdin = interactive && config.bool("OpenStdin").orElse(false);
        boolean autoRemove = c.object("HostConfig").flatMap(h -> h.bool("AutoRemove")).orElse(false);
        if (stdin && tty && !cli.isTerminal(0)) {
            throw new CommandFailed("the input device is not a TTY");
        }
        String path = "/containers/" + ContainerApi.segment(id);
        Query query = Query.of().add("stream", "1").flag("stdin", stdin).add("stdout", "1").add("stderr", "1")
                .optional("detachKeys", detachKeys);
        HijackedStream stream = cli.client().hijack(path + "/attach", query, null, null);
        try (stream) {
            Streamer streamer = new Streamer(stream, tty, stdin ? cli.in : null, stdin && tty && cli.isTerminal(0),
                    cli.out, cli.err, DetachKeys.orDefault(detachKeys));
            CompletableFuture<JsonObject> status = ContainerApi.waitFor(cli, id, autoRemove ? "removed" : "next-exit");
            try (Signals signals = tty ? new Signals() : ContainerApi.proxySignals(cli, id)) {
                streamer.prepare();
                try {
                    cli.client().send("POST", path + "/start", null, null, null, null).close();
                } catch (DaemonException e) {
                    streamer.close();
                    throw e;
                }
                try (Signals resize = tty && cli.isTerminal(1) ? ContainerApi.monitorSize(cli, path) : new Signals()) {
                    if (streamer.run() == Streamer.End.DETACHED) {
                        return 0;
                    }
                }
            }
            return ContainerApi.exitStatus(cli, status);
        }
    }
}
