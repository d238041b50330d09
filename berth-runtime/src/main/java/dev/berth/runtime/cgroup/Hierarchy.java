package dev.berth.runtime.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * One mounted cgroup hierarchy: a v1 hierarchy with its controllers (possibly several
 * co-mounted, e.g. {@code cpu,cpuacct}, or a named one such as {@code name=systemd}), or the
 * v2 unified hierarchy with the controllers its root offers.
 *
 * @param mountPoint  where the hierarchy is mounted, e.g. {@code /sys/fs/cgroup/memory}
 * @param mountRoot   the cgroup the mount shows at its mount point ({@code /} unless a
 *                    sub-tree was bind-mounted, as inside some containers)
 * @param controllers the controllers (v1: as named in /proc/self/cgroup)
 * @param ownPath     this process's cgroup in the hierarchy, from /proc/self/cgroup
 * @param unified     true for the cgroup v2 hierarchy
 */
public record Hierarchy(Path mountPoint, String mountRoot, Set<String> controllers,
                        String ownPath, boolean unified) {

    public Hierarchy {
        controllers = Set.copyOf(controllers);
    }

    public boolean has(String controller) {
        return controllers.contains(controller);
    }

    /** This process's own cgroup directory, where relative cgroupsPaths start. */
    public Path ownDir() {
        String inMount = ownPath;
        // Without a cgroup namespace a bind-mounted sub-tree shows the full path in
        // /proc/self/cgroup; the part above the mount's root is not visible under the mount.
        if (!mountRoot.equals("/") && (ownPath.equals(mountRoot) || ownPath.startsWith(mountRoot + "/"))) {
            inMount = ownPath.substring(mountRoot.length());
        }
        return under(mountPoint, inMount);
    }

    static Path under(Path base, String cgroupPath) {
        Path dir = base;
        for (String part : cgroupPath.split("/")) {
            if (!part.isEmpty()) {
                dir = dir.resolve(part);
            }
        }
        return dir;
    }

    // equals and hashCode written out: a record's generated ones bootstrap through
    // java.lang.runtime.ObjectMethods, which spins LambdaForms at first use that the AOT cache
    // does not keep (~15 ms of every CLI command: V1Manager keys a map by hierarchy)
    @Override
    public boolean equals(Object o) {
        return o instanceof Hierarchy h && unified == h.unified && mountPoint.equals(h.mountPoint)
                && mountRoot.equals(h.mountRoot) && controllers.equals(h.controllers) && ownPath.equals(h.ownPath);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(mountPoint, mountRoot, controllers, ownPath, unified);
    }

    @Override
    public String toString() {
        return (unified ? "cgroup2" : String.join(",", controllers.stream().sorted().toList()))
                + " at " + mountPoint;
    }
}
