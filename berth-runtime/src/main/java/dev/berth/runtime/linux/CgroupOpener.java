package dev.berth.runtime.linux;

import dev.berth.runtime.cgroup.CgroupFs;
import dev.berth.runtime.cgroup.CgroupLayout;
import dev.berth.runtime.cgroup.CgroupManager;
import dev.berth.runtime.cgroup.CgroupPath;
import dev.berth.runtime.cgroup.ParentMarks;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens a container's cgroup by its cgroupsPath and id, with the directories an earlier
 * create made (persisted in the container's state, so that delete removes exactly those).
 */
@FunctionalInterface
public interface CgroupOpener {
    CgroupManager open(String cgroupsPath, String containerId, Set<Path> createdDirs);

    /**
     * The host's cgroups, detected once (layout detection reads /proc), with the host's
     * {@link ParentMarks}: a parent such as /berth goes with the last container under it.
     */
    static CgroupOpener host() {
        return new CgroupOpener() {
            private CgroupLayout layout;

            @Override
            public CgroupManager open(String cgroupsPath, String containerId, Set<Path> createdDirs) {
                if (layout == null) {
                    layout = CgroupLayout.detect();
                }
                return CgroupManager.open(layout, CgroupPath.resolve(cgroupsPath, containerId), CgroupFs.host(), createdDirs,
                        ParentMarks.host());
            }
        };
    }
}
