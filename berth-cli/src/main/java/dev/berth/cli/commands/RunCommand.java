package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.container.ContainerApi;
import dev.berth.cli.container.ContainerFlags;
import dev.berth.cli.container.CreateBody;
import dev.berth.cli.container.Creator;
import dev.berth.cli.container.RunException;
import dev.berth.cli.container.RunFlags;
import dev.berth.cli.container.Streamer;
import dev.berth.cli.tty.DetachKeys;
import dev.berth.cli.tty.RawTerminal;
import dev.berth.cli.tty.Signals;
import dev.berth.cli.tty.WindowSize;
import dev.berth.client.ConnectException;
import dev.berth.client.DaemonException;
import dev.berth.client.HijackedStream;
import dev.berth.client.Query;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code berth run}: docker run's conversation. Create (pulling first when the daemon has no
 * such image); unless -d, attach (hijacked, before start, so no output is lost), wait
 * (next-exit, or removed with --rm), start, resize with -t; then stream until the output ends
 * and exit with the container's status. The daemon refusing is 125, a start failure 126
 * (not executable) or 127 (not found) as docker decides it from the message.
 */
@Command(name = "run", description = "Create and run a new container from an image",
        customSynopsis = "berth run [OPTIONS] IMAGE [COMMAND] [ARG...]")
public final class RunCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Mixin
    ContainerFlags flags;

    @Mixin
    RunFlags session;

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    public RunCommand(Cli cli) {
        this.cli = cli;
    }

    @SuppressWarnings("try") // the signal handlers live as long as the try
    @Override
    public Integer call() throws IOException {
        WindowSize console = flags.tty && cli.isTerminal(1) ? RawTerminal.size(1).orElse(null) : null;
        CreateBody.Request request = CreateBody.build(flags, session.detach, image, command, cli.env, console);
        if (request.attachStdin() && flags.tty && !cli.isTerminal(0)) {
            throw new CommandFailed("the input device is not a TTY");
        }
        String id;
        try {
            id = Creator.create(cli, image, flags.name, request.body(),
                    Creator.PullOptions.of(flags, cli.env));
        } catch (DaemonException e) {
            throw new RunException(e.describe());
        } catch (ConnectException | CommandFailed e) {
            throw new RunException(e.getMessage());
        }
        if (session.detach) {
            start(id, null, null);
            cli.out.println(id);
            return 0;
        }
        boolean attach = request.attachStdin() || request.attachStdout() || request.attachStderr();
        HijackedStream stream = null;
        Streamer streamer = null;
        if (attach) {
            Query query = Query.of().add("stream", "1").flag("stdin", request.attachStdin())
                    .flag("stdout", request.attachStdout()).flag("stderr", request.attachStderr())
                    .optional("detachKeys", session.detachKeys);
            try {
                stream = cli.client().hijack("/containers/" + ContainerApi.segment(id) + "/attach", query, null, null);
            } catch (DaemonException e) {
                throw new RunException(e.describe());
            }
            streamer = new Streamer(stream, flags.tty, request.attachStdin() ? cli.in : null,
                    request.attachStdin() && flags.tty && cli.isTerminal(0), cli.out, cli.err,
                    DetachKeys.orDefault(session.detachKeys));
        }
        CompletableFuture<JsonObject> status;
        try {
            status = ContainerApi.waitFor(cli, id, flags.autoRemove ? "removed" : "next-exit");
        } catch (DaemonException e) {
            close(stream);
            throw new RunException(e.describe());
        }
        boolean proxy = !flags.tty && (session.sigProxy == null || session.sigProxy);
        try (Signals signals = proxy ? ContainerApi.proxySignals(cli, id) : new Signals()) {
            if (streamer != null) {
                streamer.prepare();
            }
            try {
                start(id, stream, status);
            } catch (RunException e) {
                if (streamer != null) {
                    streamer.close();
                }
                throw e;
            }
            Signals resize = flags.tty && cli.isTerminal(1) ? ContainerApi.monitorSize(cli, "/containers/"
                    + ContainerApi.segment(id)) : new Signals();
            try (resize) {
                if (streamer != null && streamer.run() == Streamer.End.DETACHED) {
                    return 0;
                }
            }
        } finally {
            close(stream);
        }
        return ContainerApi.exitStatus(cli, status);
    }

    private void start(String id, HijackedStream stream, CompletableFuture<JsonObject> status) {
        try {
            cli.client().send("POST", "/containers/" + ContainerApi.segment(id) + "/start", null, null, null, null).close();
        } catch (DaemonException e) {
            close(stream);
            if (flags.autoRemove && status != null) {
                try {
                    status.get(30, TimeUnit.SECONDS); // docker waits for the removal before it exits
                } catch (Exception ignored) {
                    // the exit status comes from the start failure anyway
                }
            }
            throw new RunException(e.describe(), ContainerApi.startFailureStatus(e.getMessage()));
        }
    }

    private static void close(HijackedStream stream) {
        if (stream != null) {
            stream.close();
        }
    }
}
