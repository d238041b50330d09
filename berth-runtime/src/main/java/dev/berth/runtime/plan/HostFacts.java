package dev.berth.runtime.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the planner needs to know about the host, gathered once by the caller so that planning
 * itself stays pure (and testable without root).
 *
 * @param cgroupV1Hierarchies the v1 hierarchies, as the directory name under /sys/fs/cgroup and
 *     the mount options naming its controllers (e.g. "cpu,cpuacct" or "name=systemd")
 * @param cgroupV2 whether a cgroup2 hierarchy should be mounted at /sys/fs/cgroup (pure v2) or
 *     at /sys/fs/cgroup/unified (hybrid)
 * @param hybrid v1 controllers plus a cgroup2 mount at unified
 * @param hasKcore /proc/kcore exists (for the /dev/core symlink)
 * @param containerCgroupDirs the container's own cgroup directories on the host, one per
 *     hierarchy (/sys/fs/cgroup/memory/berth/ID...): without a cgroup namespace, or with a user
 *     namespace (which cannot mount cgroup v1), these are bind-mounted instead, as runc does
 * @param cgroupJoin how the init joins its cgroups by itself; empty when the runtime moves it in
 */
public record HostFacts(List<CgroupHierarchy> cgroupV1Hierarchies, boolean cgroupV2, boolean hybrid, boolean hasKcore,
                        List<Path> containerCgroupDirs, Optional<CgroupJoin> cgroupJoin) {
    public HostFacts {
        cgroupV1Hierarchies = List.copyOf(cgroupV1Hierarchies);
        containerCgroupDirs = List.copyOf(containerCgroupDirs);
    }

    public HostFacts(List<CgroupHierarchy> cgroupV1Hierarchies, boolean cgroupV2, boolean hybrid, boolean hasKcore) {
        this(cgroupV1Hierarchies, cgroupV2, hybrid, hasKcore, List.of(), Optional.empty());
    }

    /** These facts with the container's cgroup directories. */
    public HostFacts withContainerCgroupDirs(List<Path> dirs) {
        return new HostFacts(cgroupV1Hierarchies, cgroupV2, hybrid, hasKcore, dirs, cgroupJoin);
    }

    /** These facts with the way the init joins its cgroups (instead of being moved in after clone). */
    public HostFacts withCgroupJoin(CgroupJoin join) {
        return new HostFacts(cgroupV1Hierarchies, cgroupV2, hybrid, hasKcore, containerCgroupDirs, Optional.of(join));
    }

    /**
     * @param tasksFiles v1 {@code tasks} files the init writes {@code 0} to (moves itself, no
     *     global lock), right after clone and before it waits for GO
     * @param cloneInto the cgroup2 directory stage 0 clones the init into (CLONE_INTO_CGROUP)
     */
    public record CgroupJoin(List<Path> tasksFiles, Optional<Path> cloneInto) {
        public CgroupJoin {
            tasksFiles = List.copyOf(tasksFiles);
        }
    }

    public record CgroupHierarchy(String dirName, String options) {}
}
