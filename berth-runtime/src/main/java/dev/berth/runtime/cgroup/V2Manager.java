package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import dev.berth.runtime.api.ContainerStats;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A container cgroup on the cgroup v2 unified hierarchy, or, in hybrid mode, the v2 part
 * that holds only the controllers no v1 hierarchy has.
 *
 * <p>Device rules: v2 has no devices files; access control needs an eBPF program attached to
 * the cgroup (BPF_CGROUP_DEVICE). berth does not build one yet, so any rule list other than
 * empty or a lone "deny all" is refused with UNSUPPORTED rather than silently not enforced.
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v2.html">cgroup v2</a>
 */
public final class V2Manager implements CgroupManager {
    private static final int FREEZE_POLLS = 1000;

    private final Hierarchy hierarchy;
    private final CgroupPath path;
    private final CgroupFiles files;
    private final Path dir;
    private final Set<String> owned;
    private final boolean standalone;
    private final Set<Path> created = new LinkedHashSet<>();
    private final ParentMarks marks;

    /**
     * @param owned      v2 controller names this manager writes and enables
     * @param standalone false when part of a hybrid manager, which checks availability itself
     */
    V2Manager(Hierarchy hierarchy, CgroupPath path, CgroupFs fs, Set<Path> created, ParentMarks marks,
              Set<String> owned, boolean standalone) {
        this.hierarchy = hierarchy;
        this.path = path;
        this.files = new CgroupFiles(fs);
        this.dir = path.dirIn(hierarchy);
        this.owned = Set.copyOf(owned);
        this.standalone = standalone;
        this.marks = marks;
        created.stream().filter(c -> c.startsWith(hierarchy.mountPoint())).forEach(this.created::add);
    }

    @Override
    public CgroupPath path() {
        return path;
    }

    @Override
    public List<Path> dirs() {
        return List.of(dir);
    }

    @Override
    public Set<Path> createdDirs() {
        return Set.copyOf(created);
    }

    Set<String> owned() {
        return owned;
    }

    @Override
    public void create() {
        Path base = path.relative() ? hierarchy.ownDir() : hierarchy.mountPoint();
        CgroupDirs.mkdirs(files.fs(), base, path.components(), created, marks);
        enableControllers(base);
    }

    /**
     * A v2 child only gets a controller's files when every ancestor lists it in
     * cgroup.subtree_control. Enable the owned ones from base down to the leaf's parent, one at
     * a time: one the kernel refuses (e.g. cpu with realtime tasks around, or a parent that
     * holds processes) should not block the others, and set() names what is missing.
     */
    private void enableControllers(Path base) {
        Path parent = base;
        for (Path child : CgroupDirs.chain(base, path.components())) {
            Set<String> available = CgroupLayout.words(files.read(parent, "cgroup.controllers"));
            Set<String> enabled = CgroupLayout.words(files.read(parent, "cgroup.subtree_control"));
            for (String controller : available) {
                if (owned.contains(controller) && !enabled.contains(controller)) {
                    try {
                        files.write(parent, "cgroup.subtree_control", "+" + controller);
                    } catch (BerthException ignored) {
                        // reported by set() if the container asks for this controller
                    }
                }
            }
            parent = child;
        }
    }

    @Override
    public void apply(int pid) {
        files.write(dir, "cgroup.procs", Integer.toString(pid));
    }

    @Override
    public void apply(int pid, SubCgroups sub) {
        for (String controller : sub.paths().keySet()) {
            if (!controller.isEmpty()) {
                throw BerthException.invalid("unknown controller " + controller + " (cgroup v2 takes one path for all)");
            }
        }
        applyAll(pid, sub);
    }

    /** Joins {@code dir/sub[""]}; per-controller paths are the v1 side's (hybrid hosts). */
    void applyAll(int pid, SubCgroups sub) {
        SubCgroups.join(files, SubCgroups.below(dir, sub.paths().getOrDefault("", "")), pid);
    }

    @Override
    public Optional<Placement> placement() {
        return Optional.of(new Placement(List.of(), Optional.of(dir)));
    }

    @Override
    public void set(Resources resources) {
        write(resources, false);
    }

    @Override
    public void update(Resources resources) {
        write(resources, true);
    }

    void write(Resources resources, boolean update) {
        if (standalone) {
            check(resources);
        }
        new V2Resources(files, dir, owned).write(resources, update);
    }

    private void check(Resources resources) {
        if (hasExplicitDeviceRules(resources.devices())) {
            throw BerthException.unsupported(
                    "device rules on cgroup v2 need an eBPF device filter, which berth does not support yet");
        }
        Set<String> enabled = CgroupLayout.words(files.read(dir, "cgroup.controllers"));
        for (String controller : Needs.controllers(resources)) {
            String name = Needs.v2Name(controller);
            if (!name.equals("devices") && !enabled.contains(name)) {
                throw BerthException.unsupported("cgroup controller \"" + name + "\" is not enabled in " + dir);
            }
        }
    }

    /** Empty, or a single "deny all", is what v2 without a device filter already means. */
    static boolean hasExplicitDeviceRules(List<Resources.DeviceRule> rules) {
        if (rules.isEmpty()) {
            return false;
        }
        if (rules.size() > 1) {
            return true;
        }
        Resources.DeviceRule only = rules.getFirst();
        return only.allow() || !V1Devices.format(only).equals("a");
    }

    @Override
    public void freeze() {
        setFrozen(true);
    }

    @Override
    public void thaw() {
        setFrozen(false);
    }

    private void setFrozen(boolean frozen) {
        V1Resources.require(files, dir, "cgroup.freeze", "the cgroup v2 freezer (linux 5.2+)");
        files.write(dir, "cgroup.freeze", frozen ? "1" : "0");
        for (int poll = 0; poll < FREEZE_POLLS; poll++) {
            if (isFrozen() == frozen) {
                return;
            }
            CgroupDirs.sleepMillis(poll < 10 ? 1 : 10);
        }
        if (frozen) {
            files.write(dir, "cgroup.freeze", "0");
        }
        throw BerthException.internal("cannot " + (frozen ? "freeze" : "thaw") + " cgroup " + dir
                + ": cgroup.events did not report frozen " + (frozen ? 1 : 0));
    }

    @Override
    public boolean isFrozen() {
        return files.exists(dir, "cgroup.events") && files.readKeyed(dir, "cgroup.events").getOrDefault("frozen", 0L) == 1;
    }

    @Override
    public List<Integer> pids() {
        return CgroupDirs.pidsUnder(files.fs(), dir);
    }

    @Override
    public ContainerStats stats() {
        return Usage.stats(cpuUsage(), memoryUsage(), pidsUsage());
    }

    /** cpu.stat is a core file: usage is there even without the cpu controller. */
    Optional<Usage.Cpu> cpuUsage() {
        Map<String, Long> stat = files.readKeyed(dir, "cpu.stat");
        if (stat.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Usage.Cpu(stat.getOrDefault("usage_usec", 0L) * 1000,
                stat.getOrDefault("user_usec", 0L) * 1000, stat.getOrDefault("system_usec", 0L) * 1000));
    }

    Optional<Usage.Memory> memoryUsage() {
        if (!owned.contains("memory") || !files.exists(dir, "memory.current")) {
            return Optional.empty();
        }
        return Optional.of(new Usage.Memory(
                files.readLong(dir, "memory.current", 0).orElse(0L),
                files.readLong(dir, "memory.max", Long.MAX_VALUE).orElse(0L),
                files.readLong(dir, "memory.peak", 0).orElse(0L), // linux 5.19+
                files.readKeyed(dir, "memory.stat").getOrDefault("file", 0L)));
    }

    Optional<Usage.Pids> pidsUsage() {
        if (!owned.contains("pids") || !files.exists(dir, "pids.current")) {
            return Optional.empty();
        }
        return Optional.of(new Usage.Pids(files.readLong(dir, "pids.current", 0).orElse(0L),
                files.readLong(dir, "pids.max", 0).orElse(0L)));
    }

    @Override
    public void destroy() {
        if (created.contains(dir)) {
            CgroupDirs.removeTree(files.fs(), dir, CgroupDirs.destroyDeadline());
            created.remove(dir);
            CgroupDirs.removeEmptyParents(files.fs(), dir, created, marks);
        }
    }

    @Override
    public String toString() {
        return "cgroup v2 " + path;
    }
}
