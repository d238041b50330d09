package dev.berth.runtime.linux;

import dev.berth.runtime.sys.Syscalls;
import java.nio.file.Path;

/** For the benchmarks (dev.berth.runtime.bench): the library runtime with its seams wrapped. */
public final class BenchRuntimes {
    private BenchRuntimes() {}

    /** What {@link LinuxContainerRuntime#open} builds, over the given syscalls and cgroups. */
    public static LinuxContainerRuntime library(Syscalls sys, Path root, Path helper, CgroupOpener cgroups) {
        return new LinuxContainerRuntime(sys, root, new FdInitLauncher(sys, helper), cgroups, HostSeccomp.INSTANCE);
    }
}
