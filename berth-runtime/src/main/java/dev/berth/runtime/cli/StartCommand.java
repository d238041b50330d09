package dev.berth.runtime.cli;

/** {@code start}: let a created container's process run. */
final class StartCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("start", "run the user process of a created container", "<container-id>",
                "Runs the process that 'create' prepared, as configured in the bundle's config.json.");
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireExactly("start", 1);
        context.runtime().start(args.positional(0));
        return 0;
    }
}
