package dev.berth.runtime.cli;

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
        return context.runtime().run(CreateFlags.options(context, args), args.bool("detach"), args.bool("keep"));
    }
}
