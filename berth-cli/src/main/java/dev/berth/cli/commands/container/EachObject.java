package dev.berth.cli.commands.container;

import dev.berth.cli.Cli;
import dev.berth.cli.CommandFailed;
import dev.berth.client.DaemonException;
import java.util.ArrayList;
import java.util.List;

/**
 * docker's way with several names in one command ({@code docker stop a b c}): each one in turn,
 * the name printed to stdout when it succeeds, the errors together on stderr at the end and
 * exit status 1 if any failed.
 */
final class EachObject {
    private EachObject() {}

    /** One object's request; a {@link DaemonException} or {@link CommandFailed} marks it failed. */
    interface Action {
        void run(String name);
    }

    /** Like {@link Action}, saying what to print for it. */
    interface Printing {
        String run(String name);
    }

    static int run(Cli cli, List<String> names, Action action) {
        return printing(cli, names, name -> {
            action.run(name);
            return name;
        });
    }

    static int printing(Cli cli, List<String> names, Printing action) {
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                cli.out.println(action.run(name));
            } catch (DaemonException e) {
                errors.add(e.describe());
            } catch (CommandFailed e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new CommandFailed(String.join("\n", errors));
        }
        return 0;
    }
}
