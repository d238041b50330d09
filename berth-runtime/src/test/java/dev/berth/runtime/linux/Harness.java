package dev.berth.runtime.linux;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.State;
import dev.berth.oci.runtime.State.Status;
import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.api.ExecOptions;
import dev.berth.runtime.testing.Privileged;
import dev.berth.runtime.testing.TestBundle;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One privileged black-box test's runtime, container id and bundle, and the check that the test
 * left nothing behind: call {@link #close()} from the test's @AfterEach. It remembers the pid
 * namespace of every container it saw running, so that close can look for stray processes.
 */
final class Harness implements AutoCloseable {
    final Path tmp;
    final Path root;
    final LinuxContainerRuntime runtime;
    final String id;
    private final Set<String> pidNamespaces = new LinkedHashSet<>();
    private TestBundle bundle;

    private Harness(Path tmp, String prefix) {
        this.tmp = tmp;
        this.root = tmp.resolve("root");
        this.runtime = LinuxContainerRuntime.open(root, Privileged.helper());
        this.id = prefix + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    /** Skips the test unless containers work here, else a harness with a fresh id. */
    static Harness open(Path tmp, String prefix) {
        Privileged.assumeContainersWork();
        return new Harness(tmp, prefix);
    }

    /** The test's bundle (one per test), running args. */
    TestBundle bundle(String... args) {
        bundle = TestBundle.create(tmp, args);
        return bundle;
    }

    CreateOptions options() {
        return CreateOptions.of(id, bundle.dir());
    }

    /** run, attached: the exit status. */
    int run() {
        return runtime.run(options(), false);
    }

    /** run, detached: the container is running on return. */
    State runDetached() {
        runtime.run(options(), true);
        return remember(runtime.state(id));
    }

    State create() {
        return remember(runtime.create(options()));
    }

    State remember(State s) {
        String ns = Leaks.pidNamespaceOf(s.pid());
        if (ns != null && !ns.equals(Leaks.pidNamespaceOf((int) ProcessHandle.current().pid()))) {
            pidNamespaces.add(ns);
        }
        return s;
    }

    /** The container's process with other args, as `runc exec` builds one from the config. */
    Process process(String... args) {
        Process p = runtime.spec(id).process();
        return new Process(false, p.consoleSize(), p.cwd(), p.env(), List.of(args), null, p.rlimits(),
                null, p.capabilities(), p.noNewPrivileges(), p.oomScoreAdj(), null, p.user());
    }

    int exec(String... args) {
        return runtime.exec(id, exec(process(args)));
    }

    static ExecOptions exec(Process p) {
        return new ExecOptions(p, false, Optional.empty(), Optional.empty(), 0);
    }

    Status status() {
        return runtime.state(id).status();
    }

    void awaitStatus(Status status) {
        waitFor(() -> {
            try {
                return status() == status;
            } catch (BerthException e) {
                return false;
            }
        });
    }

    static void waitFor(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Deletes every container left (force), then checks that nothing of this test's stayed. */
    @Override
    public void close() {
        for (State s : runtime.list()) {
            runtime.delete(s.id(), true);
        }
        Leaks.assertNothingLeft(root, id, bundle == null ? tmp.resolve("bundle") : bundle.dir(), pidNamespaces);
    }
}
