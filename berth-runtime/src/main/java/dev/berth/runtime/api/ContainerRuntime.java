package dev.berth.runtime.api;

import dev.berth.oci.runtime.Resources;
import dev.berth.oci.runtime.State;
import java.util.List;

/**
 * The runtime library's front door: every verb of runc's command line, as methods. The
 * {@code berth-runtime} CLI is a thin parser over this; berthd calls it in-process.
 *
 * <p>Each verb follows refresh (load state from the root directory) → guard (may this verb run
 * in this status?) → act → persist. Failures are {@link dev.berth.oci.BerthException}s whose
 * messages name the container id, path or field.
 */
public interface ContainerRuntime {

    /** Creates the container; on return its init waits on the exec fifo (status created). */
    State create(CreateOptions options);

    /** Runs the user's process of a created container. */
    void start(String id);

    /**
     * create + start; when not detached, waits for the container's init to exit, deletes the
     * container and returns its exit status (128+signal when killed by a signal).
     */
    int run(CreateOptions options, boolean detach);

    /**
     * run with runc's {@code --keep}: when keep is true an attached run leaves the stopped
     * container in place instead of deleting it. Implementations that support it override this;
     * the default refuses keep rather than silently deleting the container.
     */
    default int run(CreateOptions options, boolean detach, boolean keep) {
        if (keep) {
            throw dev.berth.oci.BerthException.unsupported("run --keep is not supported by this runtime yet");
        }
        return run(options, detach);
    }

    /** The container's state, refreshed against the kernel (a dead init means stopped). */
    State state(String id);

    /** The container's config.json as it was at create (exec builds its process from it). */
    dev.berth.oci.runtime.Spec spec(String id);

    /** Sends a signal to the init, or with all to every process in the container's cgroup. */
    void kill(String id, int signal, boolean all);

    /** Removes a stopped (or, with force, any) container: processes, cgroup, state, poststop hooks. */
    void delete(String id, boolean force);

    /** Runs an extra process in a running container; returns its exit status unless detached (then 0). */
    int exec(String id, ExecOptions options);

    /** How many processes the kernel's OOM killer has killed in the container's cgroup (events' "oom"). */
    default long oomKills(String id) {
        return 0;
    }

    /**
     * exec --ignore-paused: like {@link #exec}, and a paused container is accepted too (the new
     * process starts frozen and runs once the container is resumed).
     */
    default int exec(String id, ExecOptions options, boolean ignorePaused) {
        return exec(id, options);
    }

    /** Every container under the root, sorted by id. */
    List<State> list();

    /** Host pids of every process in the container's cgroup. */
    List<Integer> pids(String id);

    void pause(String id);

    void resume(String id);

    /** Changes the container's cgroup resources; fields that are null are left as they are. */
    void update(String id, Resources resources);

    /** Resource usage from the container's cgroup, for events --stats. */
    ContainerStats stats(String id);
}
