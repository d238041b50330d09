package dev.berth.runtime.linux;

import dev.berth.runtime.testing.Privileged;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The common frame of the privileged black-box tests: a runtime with its root in a temp dir, a
 * fresh container id, and, after each test, every container force-deleted and no cgroup of it
 * left on the host. Tests that skip (not root, no busybox) say why.
 */
abstract class RuntimeTest {
    @TempDir
    Path tmp;
    Path root;
    LinuxContainerRuntime runtime;
    String id;

    /** Starts every container id of the class, so a leftover names the test that made it. */
    abstract String idPrefix();

    /** The runtime under test; the library's launcher unless a class tests another. */
    LinuxContainerRuntime openRuntime(Path root) {
        return LinuxContainerRuntime.open(root, Privileged.helper());
    }

    @BeforeEach
    final void openRuntimeAndId() {
        Privileged.assumeContainersWork();
        root = tmp.resolve("root");
        runtime = openRuntime(root);
        id = idPrefix() + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @AfterEach
    final void deleteEveryContainer() {
        if (runtime != null) {
            for (var s : runtime.list()) {
                runtime.delete(s.id(), true);
            }
            Leaks.assertNoCgroupLeft(id);
        }
    }
}
