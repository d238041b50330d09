package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.container.ContainerApi;
import dev.berth.cli.container.Streamer;
import dev.berth.cli.tty.DetachKeys;
import dev.berth.cli.tty.Signals;
import dev.berth.client.HijackedStream;
import dev.berth.client.Query;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth attach CONTAINER}: a running container's streams (stdin when it was created
 * with -i, unless --no-stdin), until it exits (its status) or the detach keys ("read escape
 * sequence", 1, as docker attach says it).
 */
@Command(name = "attach", description = "Attach local standard input, output, and error streams to a running container")
public final class AttachCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = "--no-stdin", description = "Do not attach STDIN")
    boolean noStdin;

    @Option(names = "--sig-proxy", arity = "0..1", fallbackValue = "true",
            description = "Proxy all received signals to the process (default true)")
    Boolean sigProxy;

    @Option(names = "--detach-keys", description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Parameters(paramLabel = "CONTAINER")
    String container;

    public AttachCommand(Cli cli) {
        this.cli = cli;
    }

    @SuppressWarnings("try") // the signal handlers live as long as the try
    @Override
    public Integer call() throws IOException {
        JsonObject c = ContainerApi.inspect(cli.client(), container);
        JsonObject state = c.object("State").orElseThrow(() -> c.error("State", "missing"));
        if (!state.bool("Running").orElse(false)) {
            throw new CommandFailed("You cannot attach to a stopped container, start it first");
        }
        if (state.bool("Paused").orElse(false)) {
            throw new CommandFailed("You cannot attach to a paused container, unpause it first");
        }
        if (state.bool("Restarting").orElse(false)) {
            throw new CommandFailed("You cannot attach to a restarting container, wait until it is running");
        }
        String id = c.string("Id").orElse(container);
        JsonObject config = c.object("Config").orElseThrow(() -> c.error("Config", "missing"));
        boolean tty = config.bool("Tty").orElse(false);
        boolean stdin = !noStdin && config.bool("OpenStdin").orElse(false);
        if (stdin && tty && !cli.isTerminal(0)) {
            throw new CommandFailed("the input device is not a TTY");
        }
        String path = "/containers/" + ContainerApi.segment(id);
        CompletableFuture<JsonObject> status = ContainerApi.waitFor(cli, id, null);
        Query query = Query.of().add("stream", "1").flag("stdin", stdin).add("stdout", "1").add("stderr", "1")
                .optional("detachKeys", detachKeys);
        HijackedStream stream = cli.client().hijack(path + "/attach", query, null, null);
        boolean proxy = !tty && (sigProxy == null || sigProxy);
        try (stream;
                Signals signals = proxy ? ContainerApi.proxySignals(cli, id) : new Signals();
                Signals resize = tty && cli.isTerminal(1) ? ContainerApi.monitorSize(cli, path) : new Signals()) {
            Streamer streamer = new Streamer(stream, tty, stdin ? cli.in : null, stdin && tty && cli.isTerminal(0),
                    cli.out, cli.err, DetachKeys.orDefault(detachKeys));
            if (streamer.run() == Streamer.End.DETACHED) {
                // unlike run and start, docker attach reports the detach as its error
                throw new CommandFailed("read escape sequence");
            }
        }
        return ContainerApi.exitStatus(cli, status);
    }
}
