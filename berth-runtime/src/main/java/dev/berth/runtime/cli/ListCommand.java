package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.State;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code list}: every container under --root, as runc prints them: a tabwriter table, ids only
 * with --quiet, or with --format json one JSON array line ({@code null} when there are none,
 * which is what Go's encoder writes for runc's empty slice).
 */
final class ListCommand implements Command {

    @Override
    public CommandHelp help() {
        return CommandHelp.of("list", "list the containers under the --root directory", "",
                "Lists the containers kept under --root (default \"" + Cli.DEFAULT_ROOT + "\").",
                Flag.string("format", "f", "output format: table or json", "\"table\""),
                Flag.bool("quiet", "q", "print only the container ids"));
    }

    @Override
    public int run(Context context, ParsedArgs args) {
        args.requireExactly("list", 0);
        String format = args.string("format");
        List<State> states = context.runtime().list();
        if (args.bool("quiet")) {
            StringBuilder ids = new StringBuilder();
            for (State state : states) {
                ids.append(state.id()).append('\n');
            }
            context.out().print(ids);
            return 0;
        }
        if (format == null || format.equals("table")) {
            context.out().print(table(states));
        } else if (format.equals("json")) {
            context.out().print(json(states) + "\n");
        } else {
            throw BerthException.invalid("invalid format option: " + format + " (want table or json)");
        }
        return 0;
    }

    static String table(List<State> states) {
        TabWriter table = TabWriter.forList();
        table.row("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
        for (State state : states) {
            table.row(state.id(), Integer.toString(state.pid()), state.status().word(),
                    StateOutput.orEmpty(state.bundle()), StateOutput.orEmpty(state.created()),
                    StateOutput.orEmpty(state.owner()));
        }
        return table.render();
    }

    static String json(List<State> states) {
        if (states.isEmpty()) {
            return "null";
        }
        List<Object> trees = new ArrayList<>(states.size());
        for (State state : states) {
            trees.add(StateOutput.tree(state));
        }
        return CliJson.compact(trees);
    }
}
