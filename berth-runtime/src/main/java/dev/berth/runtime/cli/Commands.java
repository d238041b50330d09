package dev.berth.runtime.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The command table. A switch rather than a map of instances, so that a run loads only the
 * class of the command it executes.
 */
final class Commands {
    private Commands() {}

    /** In the order runc lists them in its help. */
    static final String[] NAMES = {
        "checkpoint", "create", "delete", "events", "exec", "kill", "list", "pause", "ps", "restore",
        "resume", "run", "spec", "start", "state", "update", "features"
    };

    /** The command called name, or null when there is none. */
    static Command named(String name) {
        return switch (name) {
            case "checkpoint" -> UnsupportedCommand.checkpoint();
            case "create" -> new CreateCommand();
            case "delete" -> new DeleteCommand();
            case "events" -> new EventsCommand();
            case "exec" -> new ExecCommand();
            case "kill" -> new KillCommand();
            case "list" -> new ListCommand();
            case "pause" -> new PauseCommand();
            case "ps" -> new PsCommand();
            case "restore" -> UnsupportedCommand.restore();
            case "resume" -> new ResumeCommand();
            case "run" -> new RunCommand();
            case "spec" -> new SpecCommand();
            case "start" -> new StartCommand();
            case "state" -> new StateCommand();
            case "update" -> new UpdateCommand();
            case "features" -> new FeaturesCommand();
            default -> null;
        };
    }

    static List<CommandHelp> all() {
        List<CommandHelp> helps = new ArrayList<>(NAMES.length);
        for (String name : NAMES) {
            helps.add(named(name).help());
        }
        return helps;
    }
}
