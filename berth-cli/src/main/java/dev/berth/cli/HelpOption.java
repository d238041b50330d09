package dev.berth.cli;

import picocli.CommandLine.Option;

/** docker's {@code --help} on every command. */
public final class HelpOption {
    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;
}
