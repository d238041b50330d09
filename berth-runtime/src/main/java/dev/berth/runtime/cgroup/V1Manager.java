package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import dev.berth.runtime.api.ContainerStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A container cgroup on cgroup v1: one directory per mounted hierarchy, named ones such as
 * name=systemd included (runc joins those too, so tools that read them see the container).
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/cgroups.html">cgroups v1</a>
 */
public final class V1Manager implements CgroupManager {
    /** freezer.state moves through FREEZING; the kernel may need the write repeated to finish. */
    private static final int FREEZE_POLLS = 1000;

    private final CgroupPath path;
    private final CgroupFiles files;
    private final Map<Hierarchy, Path> dirs = new LinkedHashMap<>();
    private final Set<Path> created = new LinkedHashSet<>();
    private final ParentMarks marks;

    V1Manager(List<Hierarchy> hierarchies, CgroupPath path, CgroupFs fs, Set<Path> created, ParentMarks marks) {
        this.path = path;
        this.marks = marks;
        this.files = new CgroupFiles(fs);
        for (Hierarchy h : hierarchies) {
            Path dir = path.dirIn(h);
            dirs.put(h, dir);
            for (Path c : created) {
                if (c.startsWith(h.mountPoint())) {
                    this.created.add(c);
                }
            }
        }
    }

    @Override
    public CgroupPath path() {
        return path;
    }

    @Override
    public List<Path> dirs() {
        return List.copyOf(dirs.values());
    }

    @Override
    public Set<Path> createdDirs() {
        return Set.copyOf(created);
    }

    /** The container's directory in the hierarchy holding a controller. */
    Optional<Path> dirOf(String controller) {
        return dirs.entrySet().stream().filter(e -> e.getKey().has(controller))
                .map(Map.Entry::getValue).findFirst();
    }

    Set<String> controllers() {
        Set<String> all = new LinkedHashSet<>();
        dirs.keySet().forEach(h -> all.addAll(h.controllers()));
        return all;
    }

    @Override
    public void create() {
        for (Hierarchy h : dirs.keySet()) {
            Path base = path.relative() ? h.ownDir() : h.mountPoint();
            CgroupDirs.mkdirs(files.fs(), base, path.components(), created, marks);
            if (h.has("cpuset")) {
                inheritCpuset(base);
            }
        }
    }

    /**
     * A new v1 cpuset starts with empty cpus and mems, and a task cannot join a cpuset with
     * none; copy the parent's values down the chain wherever they are still empty.
     */
    private void inheritCpuset(Path base) {
        Path parent = base;
        for (Path dir : CgroupDirs.chain(base, path.components())) {
            for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
                if (files.read(dir, file).isEmpty()) {
                    files.write(dir, file, files.read(parent, file));
                }
            }
            parent = dir;
        }
    }

    @Override
    public void apply(int pid) {
        for (Path dir : dirs.values()) {
            files.write(dir, "cgroup.procs", Integer.toString(pid));
        }
    }

    @Override
    public void apply(int pid, SubCgroups sub) {
        checkControllers(sub);
        for (Map.Entry<Hierarchy, Path> e : dirs.entrySet()) {
            SubCgroups.join(files, SubCgroups.below(e.getValue(), sub.forHierarchy(e.getKey().controllers())), pid);
        }
    }

    void checkControllers(SubCgroups sub) {
        Set<String> known = controllers();
        for (String controller : sub.paths().keySet()) {
            if (!controller.isEmpty() && !known.contains(controller)) {
                throw BerthException.invalid("unknown controller " + controller);
            }
        }
    }

    @Override
    public Optional<Placement> placement() {
        List<Path> tasks = new ArrayList<>();
        for (Path dir : new LinkedHashSet<>(dirs.values())) {
            tasks.add(dir.resolve("tasks"));
        }
        return Optional.of(new Placement(tasks, Optional.empty()));
    }

    @Override
    public void set(Resources resources) {
        check(resources);
        writer().write(resources);
    }

    @Override
    public void update(Resources resources) {
        // v1 enforces checkBeforeUpdate itself: the kernel rejects a limit below usage.
        set(resources);
    }

    private void check(Resources resources) {
        for (String controller : Needs.controllers(resources)) {
            if (dirOf(controller).isEmpty()) {
                throw BerthException.unsupported("cgroup controller \"" + controller + "\" is not mounted");
            }
        }
        if (!resources.unified().isEmpty()) {
            throw BerthException.unsupported("unified resources need cgroup v2, this host has only cgroup v1");
        }
    }

    /** Writes what this manager's hierarchies hold; the hybrid manager checks availability itself. */
    V1Resources writer() {
        return new V1Resources(files, this::dirOf);
    }

    @Override
    public void freeze() {
        Path dir = freezerDir();
        for (int poll = 0; poll < FREEZE_POLLS; poll++) {
            if (poll % 50 == 0) {
                files.write(dir, "freezer.state", "FROZEN");
            }
            if (files.read(dir, "freezer.state").equals("FROZEN")) {
                return;
            }
            CgroupDirs.sleepMillis(poll < 10 ? 1 : 10);
        }
        files.write(dir, "freezer.state", "THAWED");
        throw BerthException.internal("cannot freeze cgroup " + dir + ": freezer.state stayed FREEZING");
    }

    @Override
    public void thaw() {
        Path dir = freezerDir();
        files.write(dir, "freezer.state", "THAWED");
        for (int poll = 0; poll < FREEZE_POLLS; poll++) {
            if (files.read(dir, "freezer.state").equals("THAWED")) {
                return;
            }
            CgroupDirs.sleepMillis(poll < 10 ? 1 : 10);
        }
        throw BerthException.internal("cannot thaw cgroup " + dir + ": freezer.state did not read THAWED");
    }

    @Override
    public boolean isFrozen() {
        Optional<Path> dir = dirOf("freezer");
        return dir.isPresent() && files.exists(dir.get(), "freezer.state")
                && files.read(dir.get(), "freezer.state").equals("FROZEN");
    }

    boolean hasFreezer() {
        return dirOf("freezer").isPresent();
    }

    private Path freezerDir() {
        return dirOf("freezer").orElseThrow(
                () -> BerthException.unsupported("cgroup controller \"freezer\" is not mounted"));
    }

    @Override
    public List<Integer> pids() {
        // Every hierarchy holds the same tasks; prefer ones that exist for that purpose.
        for (String controller : List.of("pids", "freezer", "memory", "cpu")) {
            Optional<Path> dir = dirOf(controller);
            if (dir.isPresent()) {
                return CgroupDirs.pidsUnder(files.fs(), dir.get());
            }
        }
        return dirs.isEmpty() ? List.of() : CgroupDirs.pidsUnder(files.fs(), dirs.values().iterator().next());
    }

    @Override
    public ContainerStats stats() {
        return Usage.stats(cpuUsage(), memoryUsage(), pidsUsage());
    }

    Optional<Usage.Cpu> cpuUsage() {
        return dirOf("cpuacct").map(dir -> {
            long total = files.readLong(dir, "cpuacct.usage", 0).orElse(0L);
            Optional<Long> user = files.readLong(dir, "cpuacct.usage_user", 0);
            Optional<Long> sys = files.readLong(dir, "cpuacct.usage_sys", 0);
            if (user.isPresent() && sys.isPresent()) {
                return new Usage.Cpu(total, user.get(), sys.get());
            }
            // Older kernels: cpuacct.stat counts USER_HZ (100 per second) ticks.
            Map<String, Long> ticks = files.readKeyed(dir, "cpuacct.stat");
            long nanosPerTick = 10_000_000L;
            return new Usage.Cpu(total, ticks.getOrDefault("user", 0L) * nanosPerTick,
                    ticks.getOrDefault("system", 0L) * nanosPerTick);
        });
    }

    Optional<Usage.Memory> memoryUsage() {
        return dirOf("memory").map(dir -> {
            Map<String, Long> stat = files.readKeyed(dir, "memory.stat");
            long cache = stat.containsKey("total_cache") ? stat.get("total_cache") : stat.getOrDefault("cache", 0L);
            return new Usage.Memory(
                    files.readLong(dir, "memory.usage_in_bytes", 0).orElse(0L),
                    files.readLong(dir, "memory.limit_in_bytes", Long.MAX_VALUE).orElse(0L),
                    files.readLong(dir, "memory.max_usage_in_bytes", 0).orElse(0L),
                    cache);
        });
    }

    Optional<Usage.Pids> pidsUsage() {
        return dirOf("pids").map(dir -> new Usage.Pids(
                files.readLong(dir, "pids.current", 0).orElse(0L),
                files.readLong(dir, "pids.max", 0).orElse(0L)));
    }

    @Override
    public void destroy() {
        // Try every hierarchy even when one fails, so one busy cgroup leaves no others behind.
        BerthException first = null;
        long deadline = CgroupDirs.destroyDeadline();
        for (Path dir : dirs.values()) {
            if (created.contains(dir)) {
                try {
                    CgroupDirs.removeTree(files.fs(), dir, deadline);
                    created.remove(dir);
                    CgroupDirs.removeEmptyParents(files.fs(), dir, created, marks);
                } catch (BerthException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "cgroup v1 " + path;
    }
}
