package dev.berth.runtime.cli;

/** {@code resume}: thaw a paused container. */
final class ResumeCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("resume", "resume every process of a paused container", "<container-id>",
                "Thaws the processes that 'pause' froze.");
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireExactly("resume", 1);
        context.runtime().resume(args.positional(0));
        return 0;
    }
}
