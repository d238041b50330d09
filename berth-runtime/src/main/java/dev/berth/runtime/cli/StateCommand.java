package dev.berth.runtime.cli;

/** {@code state}: the container's state as indented JSON, without a trailing newline (as runc). */
final class StateCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("state", "print the state of a container", "<container-id>",
                "Prints the container's OCI state (id, pid, status, bundle, ...) as JSON.");
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireExactly("state", 1);
        context.out().print(CliJson.indented(StateOutput.tree(context.runtime().state(args.positional(0)))));
        return 0;
    }
}
