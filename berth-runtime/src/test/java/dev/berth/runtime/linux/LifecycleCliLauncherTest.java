package dev.berth.runtime.linux;

import dev.berth.runtime.testing.Privileged;

/**
 * The lifecycle again, with berth-init started the CLI's way (ProcessBuilder, pipes,
 * pidfd_getfd) instead of the library's (posix_spawn through FFM, CLONE_PARENT).
 */
class LifecycleCliLauncherTest extends LifecycleTest {
    @Override
    String idPrefix() {
        return "lcc";
    }

    @Override
    LinuxContainerRuntime openRuntime(java.nio.file.Path root) {
        return LinuxContainerRuntime.openForCli(root, Privileged.helper());
    }
}
