package dev.berth.cli.commands.container;

import dev.berth.cli.commands.PathSegment;

/** {@code /containers/{name}…}, the name escaped as the docker client escapes path parts. */
final class ContainerPath {
    private ContainerPath() {}

    static String of(String name, String rest) {
        return "/containers/" + PathSegment.escape(name) + rest;
    }
}
