package dev.berth.runtime.cli;

/** {@code kill}: send a signal (SIGTERM by default) to the init, or with --all to every process. */
final class KillCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("kill", "send a signal (default: SIGTERM) to a container's init process",
                "<container-id> [signal]\n\n"
                        + "[signal] is a name with or without SIG (KILL, SIGKILL, sigkill) or a number (9).",
                "",
                Flag.bool("all", "a", "signal every process in the container, not only its init"));
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireAtLeast("kill", 1);
        args.requireAtMost("kill", 2);
        int signal = args.positional().size() == 2 ? Signals.parse(args.positional(1)) : 15;
        context.runtime().kill(args.positional(0), signal, args.bool("all"));
        return 0;
    }
}
