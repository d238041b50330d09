package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;
import dev.berth.runtime.api.ContainerRuntime;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What a command may use: the global options, the streams, the spec source, and the runtime,
 * which is built only when a command asks for it (spec, features and help never do).
 */
final class Context {
    private final GlobalOptions global;
    private final Function<Path, ContainerRuntime> runtimeFactory;
    private final SpecSource specSource;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Path workingDirectory;
    private ContainerRuntime runtime;

    Context(GlobalOptions global, Function<Path, ContainerRuntime> runtimeFactory, SpecSource specSource,
            InputStream in, PrintStream out, PrintStream err, Path workingDirectory) {
        this.global = global;
        this.runtimeFactory = runtimeFactory;
        this.specSource = specSource;
        this.in = in;
        this.out = out;
        this.err = err;
        this.workingDirectory = workingDirectory;
    }

    ContainerRuntime runtime() {
        if (runtime == null) {
            if (global.systemdCgroup()) {
                // Refuse up front rather than silently using cgroupfs paths the caller did not ask for.
                throw BerthException.unsupported("--systemd-cgroup: the systemd cgroup driver is not supported, berth-runtime manages cgroupfs directly");
            }
            runtime = runtimeFactory.apply(global.root());
        }
        return runtime;
    }

    GlobalOptions global() {
        return global;
    }

    SpecSource specSource() {
        return specSource;
    }

    InputStream in() {
        return in;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** Relative paths on the command line (bundle, pid file, process.json) resolve against this. */
    Path resolve(String path) {
        return workingDirectory.resolve(path).normalize();
    }

    Path workingDirectory() {
        return workingDirectory;
    }
}
