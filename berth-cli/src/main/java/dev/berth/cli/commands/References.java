package dev.berth.cli.commands;

import dev.berth.cli.CommandFailed;
import dev.berth.cli.output.ImageName;

/** An image reference from the command line, refused with docker's words when it does not parse. */
final class References {
    private References() {}

    static ImageName parse(String text) {
        try {
            return ImageName.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandFailed(e.getMessage());
        }
    }
}
