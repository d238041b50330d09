package dev.berth.runtime.cli;

import java.util.List;

/**
 * What {@code berth-runtime <command> --help} prints, in urfave/cli's shape (NAME, USAGE,
 * DESCRIPTION, OPTIONS) so that it reads like runc's. {@code arguments} follows the command name
 * on the usage line, e.g. {@code <container-id>}; {@code description} may be empty.
 */
record CommandHelp(String name, String summary, String arguments, String description, List<Flag> flags) {

    static CommandHelp of(String name, String summary, String arguments, String description, Flag... flags) {
        return new CommandHelp(name, summary, arguments, description, List.of(flags));
    }
}
