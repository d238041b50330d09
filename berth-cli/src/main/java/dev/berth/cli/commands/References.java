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

    /**
     * The name pull and push send, as docker reads it: with -a no tag may be given; without -a a
     * bare name gets :latest, said on {@code out} ("Using default tag: latest") unless quiet.
     */
    static ImageName forTransfer(String text, boolean allTags, boolean quiet, java.io.PrintStream out) {
        ImageName image = parse(text);
        if (allTags && !image.nameOnly()) {
            throw new CommandFailed("tag can't be used with --all-tags/-a");
        }
        if (!allTags && image.nameOnly()) {
            image = image.withDefaultTag();
            if (!quiet) {
                out.println("Using default tag: " + image.tag());
            }
        }
        return image;
    }
}
