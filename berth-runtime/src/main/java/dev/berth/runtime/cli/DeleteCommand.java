package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;

/**
 * {@code delete}: remove a stopped container, or with --force any container. Like runc,
 * {@code delete --force} of a container that does not exist succeeds, so that engines can clean
 * up after a create that failed half-way without checking first.
 */
final class DeleteCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("delete", "delete a container and everything it holds", "<container-id>",
                "Removes a stopped container: its state, cgroup and remaining resources.",
                Flag.bool("force", "f", "kill the container with SIGKILL first if it is still running"));
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireExactly("delete", 1);
        boolean force = args.bool("force");
        try {
            context.runtime().delete(args.positional(0), force);
        } catch (BerthException e) {
            if (!(force && e.kind() == BerthException.Kind.NOT_FOUND)) {
                throw e;
            }
        }
        return 0;
    }
}
