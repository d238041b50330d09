package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.cli.HelpOption;
import dev.berth.cli.container.ContainerApi;
import dev.berth.cli.container.EnvVariables;
import dev.berth.cli.container.RunException;
import dev.berth.cli.container.Streamer;
import dev.berth.cli.tty.DetachKeys;
import dev.berth.cli.tty.RawTerminal;
import dev.berth.cli.tty.Signals;
import dev.berth.cli.tty.WindowSize;
import dev.berth.client.HijackedStream;
import dev.berth.oci.json.Json;
import dev.berth.oci.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth exec CONTAINER COMMAND [ARG...]}: docker's conversation — inspect the container,
 * create the exec, start it hijacked (or detached with -d), resize with -t, stream, then exit
 * with the exec's ExitCode from its inspect.
 */
@Command(name = "exec", description = "Execute a command in a running container",
        customSynopsis = "berth exec [OPTIONS] CONTAINER COMMAND [ARG...]")
public final class ExecCommand implements Callable<Integer> {
    private final Cli cli;

    @Mixin
    HelpOption help;

    @Option(names = {"-d", "--detach"}, description = "Detached mode: run command in the background")
    boolean detach;

    @Option(names = "--detach-keys", description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Option(names = {"-e", "--env"}, description = "Set environment variables")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", description = "Read in a file of environment variables")
    List<String> envFiles = new ArrayList<>();

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;

    @Option(names = "--privileged", arity = "0..1", fallbackValue = "true",
            description = "Give extended privileges to the command")
    boolean privileged;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;

    @Option(names = {"-u", "--user"}, description = "Username or UID (format: \"<name|uid>[:<group|gid>]\")")
    String user;

    @Option(names = {"-w", "--workdir"}, description = "Working directory inside the container")
    String workdir;

    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    public ExecCommand(Cli cli) {
        this.cli = cli;
    }

    @SuppressWarnings("try") // the signal handlers live as long as the try
    @Override
    public Integer call() throws IOException {
        List<String> variables;
        try {
            variables = EnvVariables.of(envFiles, env, cli.env);
        } catch (RunException e) {
            throw new CommandFailed(e.getMessage());
        }
        boolean attachStdin = interactive && !detach;
        if (attachStdin && tty && !cli.isTerminal(0)) {
            throw new CommandFailed("the input device is not a TTY");
        }
        WindowSize console = tty && cli.isTerminal(1) ? RawTerminal.size(1).orElse(null) : null;
        ContainerApi.inspect(cli.client(), container);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("User", user == null ? "" : user);
        body.put("Privileged", privileged);
        body.put("Tty", tty);
        if (console != null) {
            body.put("ConsoleSize", List.of(console.rows(), console.columns()));
        }
        body.put("AttachStdin", attachStdin);
        body.put("AttachStderr", !detach);
        body.put("AttachStdout", !detach);
        body.put("Detach", detach);
        body.put("DetachKeys", detachKeys == null ? "" : detachKeys);
        body.put("Env", variables.isEmpty() ? null : variables);
        body.put("WorkingDir", workdir == null ? "" : workdir);
        body.put("Cmd", command);
        JsonObject created = JsonObject.root("exec", cli.client().postJson("/containers/"
                + ContainerApi.segment(container) + "/exec", null, body));
        String execId = created.string("Id").orElseThrow(() -> created.error("Id", "missing"));
        String path = "/exec/" + ContainerApi.segment(execId);
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("Detach", detach);
        start.put("Tty", tty);
        if (console != null) {
            start.put("ConsoleSize", List.of(console.rows(), console.columns()));
        }
        if (detach) {
            cli.client().postJson(path + "/start", null, start);
            return 0;
        }
        HijackedStream stream = cli.client().hijack(path + "/start", null, "application/json",
                Json.write(start).getBytes(StandardCharsets.UTF_8));
        try (stream) {
            Streamer streamer = new Streamer(stream, tty, attachStdin ? cli.in : null,
                    attachStdin && tty && cli.isTerminal(0), cli.out, cli.err, DetachKeys.orDefault(detachKeys));
            try (streamer; Signals resize = tty && cli.isTerminal(1) ? ContainerApi.monitorSize(cli, path) : new Signals()) {
                if (streamer.run() == Streamer.End.DETACHED) {
                    // docker exec reports the detach as its error, where run and start -a exit 0
                    throw new CommandFailed("read escape sequence");
                }
            }
        }
        JsonObject inspect = JsonObject.root("exec", cli.client().getJson(path + "/json", null));
        return inspect.int64("ExitCode").orElse(0L).intValue();
    }
}
