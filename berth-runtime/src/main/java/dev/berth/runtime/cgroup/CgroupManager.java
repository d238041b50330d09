package dev.berth.runtime.cgroup;

import dev.berth.oci.runtime.Resources;
import dev.berth.runtime.api.ContainerStats;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The cgroup of one container, across every hierarchy the host has.
 *
 * <p>A caller goes from a config to a running process in the cgroup like this:
 *
 * <pre>{@code
 * CgroupManager cgroup = CgroupManager.open(CgroupLayout.detect(),
 *         CgroupPath.resolve(spec.linux().cgroupsPath(), id), CgroupFs.host());
 * cgroup.create();                 // mkdir -p in every hierarchy
 * cgroup.set(resources);           // write the limits
 * cgroup.apply(initPid);           // move the container's init in
 * persist(cgroup.createdDirs());   // so a later delete removes exactly those
 * }</pre>
 *
 * A later process (e.g. {@code berth-runtime delete}) reopens it with
 * {@link #open(CgroupLayout, CgroupPath, CgroupFs, Set)} and the persisted directories.
 *
 * <p>Implementations: {@link V1Manager}, {@link V2Manager} and {@link HybridManager}, chosen by
 * {@link CgroupLayout#mode()}. Killing every process is not here: callers signal {@link #pids()}.
 *
 * @see <a href="https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#control-groups">config-linux.md, Control groups</a>
 */
public interface CgroupManager {

    /** Where the container's cgroup is, relative to each hierarchy. */
    CgroupPath path();

    /** The container's cgroup directory in every hierarchy it uses. */
    List<Path> dirs();

    /** The directories that {@link #create()} made (leaves and parents), to persist with the container. */
    Set<Path> createdDirs();

    /** Makes the cgroup in every hierarchy, parents included; existing directories are joined, not owned. */
    void create();

    /** Moves a process (and so its future children) into the cgroup in every hierarchy. */
    void apply(int pid);

    /**
     * Moves a process into sub-cgroups of the container's cgroup (runc's {@code exec --cgroup});
     * a controller the container has no hierarchy for, or a path out of its cgroup, is refused.
     */
    void apply(int pid, SubCgroups sub);

    /**
     * How a process about to be started can join the cgroup by itself instead of being moved in
     * by {@link #apply(int)}: writing a pid to {@code cgroup.procs} takes the kernel's global
     * threadgroup lock, which waits for an RCU grace period (0.4 ms on a quiet machine, 7-20 ms
     * on a busy one). A single-threaded process writing {@code 0} to a v1 {@code tasks} file
     * moves itself without that lock, and {@code clone3(CLONE_INTO_CGROUP)} places a new process
     * in a v2 cgroup at birth. Empty when this manager has no such way (callers then apply).
     */
    default Optional<Placement> placement() {
        return Optional.empty();
    }

    /**
     * @param tasksFiles v1 {@code tasks} files of the container's cgroup, one per hierarchy
     * @param cloneInto the container's cgroup2 directory, to clone the process into
     */
    record Placement(List<Path> tasksFiles, Optional<Path> cloneInto) {
        public Placement {
            tasksFiles = List.copyOf(tasksFiles);
        }
    }

    /** Writes every resource the config sets; null parts are left as the kernel has them. */
    void set(Resources resources);

    /**
     * Changes a running container's resources: only the non-null parts are written, and
     * {@code memory.checkBeforeUpdate} is honoured.
     */
    void update(Resources resources);

    /** Freezes every process in the cgroup and returns once the kernel reports it frozen. */
    void freeze();

    /** Thaws the cgroup and returns once the kernel reports it thawed. */
    void thaw();

    boolean isFrozen();

    /** Every process in the cgroup and its descendant cgroups, sorted. */
    List<Integer> pids();

    ContainerStats stats();

    /**
     * Removes the container's leaf directory in every hierarchy, if {@link #create()} made it,
     * together with any child cgroups the container made inside it, then the parents berth made
     * while they are empty: this create's, or any berth create's marked in {@link ParentMarks}
     * (a parent other containers still use, or one no berth create made, stays). A directory
     * that is already gone is fine.
     */
    void destroy();

    /** A manager for a cgroup that this process is about to create, without {@link ParentMarks}. */
    static CgroupManager open(CgroupLayout layout, CgroupPath path, CgroupFs fs) {
        return open(layout, path, fs, Set.of(), ParentMarks.none());
    }

    /**
     * A manager for an existing container cgroup, given the directories its create() made,
     * without {@link ParentMarks}: its destroy removes only parents in created.
     */
    static CgroupManager open(CgroupLayout layout, CgroupPath path, CgroupFs fs, Set<Path> created) {
        return open(layout, path, fs, created, ParentMarks.none());
    }

    /**
     * A manager for a container cgroup (created empty for one about to be made), with the marks
     * that tell which parents any berth create made (the runtime passes {@link ParentMarks#host()}).
     */
    static CgroupManager open(CgroupLayout layout, CgroupPath path, CgroupFs fs, Set<Path> created, ParentMarks marks) {
        return switch (layout.mode()) {
            case V1 -> new V1Manager(layout.v1(), path, fs, created, marks);
            case V2 -> new V2Manager(layout.v2().orElseThrow(), path, fs, created, marks,
                    layout.v2().orElseThrow().controllers(), true);
            case HYBRID -> new HybridManager(layout, path, fs, created, marks);
        };
    }
}
