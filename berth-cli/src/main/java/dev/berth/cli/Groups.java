package dev.berth.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The command groups ({@code berth image …}, {@code berth system …}, {@code berth tls …}): alone they print usage. */
final class Groups {
    private Groups() {}

    /** A group: run without a subcommand it prints its usage, as docker does. */
    abstract static class Group implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HelpOption help;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "image", description = "Manage images")
    static final class Image extends Group {}

    @Command(name = "container", description = "Manage containers")
    static final class Container extends Group {}

    @Command(name = "system", description = "Manage berth")
    static final class SystemGroup extends Group {}

    @Command(name = "tls", description = "Make certificates for the daemon's mutual TLS")
    static final class Tls extends Group {}
}
