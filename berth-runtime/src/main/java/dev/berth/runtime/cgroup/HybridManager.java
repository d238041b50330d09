package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import dev.berth.runtime.api.ContainerStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A container cgroup on a "hybrid" host: every v1 hierarchy, plus the v2 hierarchy for the
 * controllers only it has (often hugetlb, often none). The process joins the v2 cgroup too,
 * as runc does, so v2-only controllers and v2 tools see the container.
 */
public final class HybridManager implements CgroupManager {
    private final V1Manager v1;
    private final V2Manager v2;

    HybridManager(CgroupLayout layout, CgroupPath path, CgroupFs fs, Set<Path> created, ParentMarks marks) {
        this.v1 = new V1Manager(layout.v1(), path, fs, created, marks);
        this.v2 = new V2Manager(layout.v2().orElseThrow(), path, fs, created, marks, layout.v2OnlyControllers(), false);
    }

    @Override
    public CgroupPath path() {
        return v1.path();
    }

    @Override
    public List<Path> dirs() {
        List<Path> dirs = new ArrayList<>(v1.dirs());
        dirs.addAll(v2.dirs());
        return dirs;
    }

    @Override
    public Set<Path> createdDirs() {
        Set<Path> created = new HashSet<>(v1.createdDirs());
        created.addAll(v2.createdDirs());
        return Set.copyOf(created);
    }

    @Override
    public void create() {
        v1.create();
        try {
            v2.create();
        } catch (BerthException e) {
            v1.destroy();
            throw e;
        }
    }

    @Override
    public void apply(int pid) {
        v1.apply(pid);
        v2.apply(pid);
    }

    @Override
    public void apply(int pid, SubCgroups sub) {
        v1.apply(pid, sub);
        v2.applyAll(pid, sub);
    }

    @Override
    public Optional<Placement> placement() {
        return Optional.of(new Placement(v1.placement().orElseThrow().tasksFiles(),
                v2.placement().orElseThrow().cloneInto()));
    }

    @Override
    public void set(Resources resources) {
        write(resources, false);
    }

    @Override
    public void update(Resources resources) {
        write(resources, true);
    }

    private void write(Resources resources, boolean update) {
        for (String controller : Needs.controllers(resources)) {
            if (v1.dirOf(controller).isEmpty() && !v2.owned().contains(Needs.v2Name(controller))) {
                throw BerthException.unsupported("cgroup controller \"" + controller
                        + "\" is neither on a cgroup v1 hierarchy nor on cgroup v2");
            }
        }
        v1.writer().write(resources);
        v2.write(resources, update);
    }

    @Override
    public void freeze() {
        if (v1.hasFreezer()) {
            v1.freeze();
        } else {
            v2.freeze();
        }
    }

    @Override
    public void thaw() {
        if (v1.hasFreezer()) {
            v1.thaw();
        } else {
            v2.thaw();
        }
    }

    @Override
    public boolean isFrozen() {
        return v1.hasFreezer() ? v1.isFrozen() : v2.isFrozen();
    }

    @Override
    public List<Integer> pids() {
        return v1.pids();
    }

    @Override
    public ContainerStats stats() {
        return Usage.stats(v1.cpuUsage().or(v2::cpuUsage), v1.memoryUsage().or(v2::memoryUsage),
                v1.pidsUsage().or(v2::pidsUsage));
    }

    @Override
    public void destroy() {
        BerthException first = null;
        for (CgroupManager part : List.of(v1, v2)) {
            try {
                part.destroy();
            } catch (BerthException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "cgroup hybrid " + path();
    }
}
