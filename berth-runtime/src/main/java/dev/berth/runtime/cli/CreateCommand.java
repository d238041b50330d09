package dev.berth.runtime.cli;

/** {@code create}: set up the container and leave its init waiting for {@code start}. */
final class CreateCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("create", "create a container", CreateFlags.ID_USAGE,
                "Creates a container from a bundle: a directory with config.json and a root filesystem.\n"
                        + "The container's process is prepared but does not run until 'start'.",
                CreateFlags.BUNDLE, CreateFlags.CONSOLE_SOCKET, CreateFlags.PID_FILE, CreateFlags.NO_PIVOT,
                CreateFlags.NO_NEW_KEYRING, CreateFlags.PRESERVE_FDS);
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireExactly("create", 1);
        context.runtime().create(CreateFlags.options(context, args));
        return 0;
    }
}
