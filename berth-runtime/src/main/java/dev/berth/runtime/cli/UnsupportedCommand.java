package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;

/**
 * {@code checkpoint} and {@code restore}: listed so that callers get a clear answer instead of
 * "No help topic". berth-runtime has no CRIU integration; any flags are accepted and ignored.
 */
final class UnsupportedCommand implements Command {
    private final CommandHelp help;

    private UnsupportedCommand(CommandHelp help) {
        this.help = help;
    }

    static UnsupportedCommand checkpoint() {
        return new UnsupportedCommand(CommandHelp.of("checkpoint", "checkpoint a running container (not supported)",
                "<container-id>", "berth-runtime has no CRIU integration: this command always fails."));
    }

    static UnsupportedCommand restore() {
        return new UnsupportedCommand(CommandHelp.of("restore", "restore a container from a checkpoint (not supported)",
                "<container-id>", "berth-runtime has no CRIU integration: this command always fails."));
    }

    @Override
    public CommandHelp help() {
        return help;
    }

    @Override
    public boolean acceptsAnyFlags() {
        return true;
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        throw BerthException.unsupported(help.name() + " is not supported: berth-runtime has no CRIU integration");
    }
}
