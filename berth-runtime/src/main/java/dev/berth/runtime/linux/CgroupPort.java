package dev.berth.runtime.linux;

import dev.berth.oci.runtime.Resources;
import dev.berth.runtime.api.ContainerStats;
import java.util.List;

/** The container's cgroup as the lifecycle uses it; backed by dev.berth.runtime.cgroup. */
interface CgroupPort {
    /** Creates the cgroup (in every hierarchy) and writes the resources. */
    void create(Resources resources);

    void apply(int pid);

    void update(Resources resources);

    void freeze();

    void thaw();

    boolean frozen();

    List<Integer> pids();

    ContainerStats stats();

    /** Removes what create made; a cgroup that is already gone is fine. */
    void destroy();

    /** Opens the cgroup of a container by its (possibly empty) cgroupsPath. */
    interface Factory {
        CgroupPort open(String cgroupsPath, String containerId);
    }
}
