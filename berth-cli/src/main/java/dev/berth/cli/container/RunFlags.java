package dev.berth.cli.container;

import picocli.CommandLine.Option;

/** The flags docker run has and docker create has not: they are about the CLI's session, not the container. */
public final class RunFlags {
    @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID")
    public boolean detach;

    @Option(names = "--detach-keys", description = "Override the key sequence for detaching a container")
    public String detachKeys;

    @Option(names = "--sig-proxy", arity = "0..1", fallbackValue = "true",
            description = "Proxy received signals to the process (default true)")
    public Boolean sigProxy;
}
