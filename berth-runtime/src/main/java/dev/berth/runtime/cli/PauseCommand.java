package dev.berth.runtime.cli;

/** {@code pause}: freeze every process of the container (cgroup freezer). */
final class PauseCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("pause", "suspend every process in a container", "<container-id>",
                "Freezes all processes of the container until 'resume'.");
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireExactly("pause", 1);
        context.runtime().pause(args.positional(0));
        return 0;
    }
}
