package dev.berth.runtime.cli;

import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.json.SpecJson;
import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.linux.ConsoleRelay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code run}: create and start. Attached, it waits for the container and exits with its status
 * (128+n when killed by signal n); detached, it returns once the process runs.
 */
final class RunCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("run", "create and run a container", CreateFlags.ID_USAGE,
                "Creates a container from a bundle and starts its process at once. Without --detach the\n"
                        + "command waits for the process, exits with its status and then deletes the container.",
                CreateFlags.BUNDLE, CreateFlags.CONSOLE_SOCKET,
                Flag.bool("detach", "d", "return once the container's process is running"),
                Flag.bool("keep", null, "keep the container after its process exits"),
                CreateFlags.PID_FILE,
                Flag.bool("no-subreaper", null, "accepted for runc compatibility; the runtime decides how it reaps"),
                CreateFlags.NO_PIVOT, CreateFlags.NO_NEW_KEYRING, CreateFlags.PRESERVE_FDS);
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireExactly("run", 1);
        CreateOptions options = CreateFlags.options(context, args);
        boolean detach = args.bool("detach");
        if (detach || options.consoleSocket().isPresent() || !wantsTerminal(options.bundle())) {
            return context.runtime().run(options, detach, args.bool("keep"));
        }
        // attached with a terminal: like runc, take the pty master ourselves and relay it
        try (ConsoleRelay relay = ConsoleRelay.open()) {
            CreateOptions relayed = new CreateOptions(options.id(), options.bundle(), options.pidFile(),
                    Optional.of(relay.socket()), options.noPivot(), options.noNewKeyring(), options.preserveFds());
            int code = context.runtime().run(relayed, false, args.bool("keep"));
            relay.drain();
            return code;
        }
    }

    /** process.terminal of the bundle's config.json; false when it cannot be read (create reports that). */
    static boolean wantsTerminal(Path bundle) {
        try {
            Spec spec = SpecJson.parse(Files.readString(bundle.resolve("config.json")));
            return spec.process() != null && spec.process().terminal();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
