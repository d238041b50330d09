package dev.berth.runtime.linux;

import dev.berth.runtime.testing.Privileged;
import org.junit.jupiter.api.BeforeEach;

/**
 * The lifecycle again, with berth-init started the CLI's way (ProcessBuilder, pipes,
 * pidfd_getfd) instead of the library's (posix_spawn through FFM, CLONE_PARENT).
 */
class LifecycleCliLauncherTest extends LifecycleTest {
    @Override
    @BeforeEach
    void setUp() {
        Privileged.assumeContainersWork();
        root = tmp.resolve("root");
        runtime = LinuxContainerRuntime.openForCli(root, Privileged.helper());
        id = "lcc-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }
}
