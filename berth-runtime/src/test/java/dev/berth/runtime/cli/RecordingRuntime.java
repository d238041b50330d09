package dev.berth.runtime.cli;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import dev.berth.oci.runtime.Spec;
import dev.berth.oci.runtime.State;
import dev.berth.runtime.api.ContainerRuntime;
import dev.berth.runtime.api.ContainerStats;
import dev.berth.runtime.api.CreateOptions;
import dev.berth.runtime.api.ExecOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A ContainerRuntime that records each call as a line ("kill web 9 all=false") and the argument
 * objects, and answers from fields the test fills in. {@code failWith} makes the next call fail.
 */
final class RecordingRuntime implements ContainerRuntime {
    final List<String> calls = new ArrayList<>();
    final Map<String, State> states = new HashMap<>();
    final List<State> listed = new ArrayList<>();
    Path root;
    Spec spec;
    List<Integer> pids = List.of();
    ContainerStats stats = new ContainerStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
    int exitStatus;
    BerthException failWith;
    CreateOptions created;
    boolean detached;
    boolean kept;
    ExecOptions exec;
    Resources updated;
    /** events: state() answers "not found" after this many calls (negative: never). */
    int stateCallsLeft = -1;
    /** events: the state the container moves to once its stats have been read. */
    State afterStats;
    /** events: the OOM kill count, raised by one each time the stats are read when oomOnStats. */
    long oomKills;
    boolean oomOnStats;

    private void call(String line) {
        calls.add(line);
        if (failWith != null) {
            BerthException e = failWith;
            failWith = null;
            throw e;
        }
    }

    @Override
    public State create(CreateOptions options) {
        call("create " + options.id());
        created = options;
        return state(options.id(), State.Status.CREATED, 100);
    }

    @Override
    public void start(String id) {
        call("start " + id);
    }

    @Override
    public int run(CreateOptions options, boolean detach) {
        call("run " + options.id());
        created = options;
        detached = detach;
        return exitStatus;
    }

    @Override
    public int run(CreateOptions options, boolean detach, boolean keep) {
        kept = keep;
        return run(options, detach);
    }

    @Override
    public State state(String id) {
        call("state " + id);
        if (stateCallsLeft == 0) {
            throw BerthException.notFound("container \"" + id + "\" does not exist");
        }
        if (stateCallsLeft > 0) {
            stateCallsLeft--;
        }
        State state = states.get(id);
        if (state == null) {
            throw BerthException.notFound("container \"" + id + "\" does not exist");
        }
        return state;
    }

    @Override
    public Spec spec(String id) {
        call("spec " + id);
        return spec;
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        call("kill " + id + " " + signal + " all=" + all);
    }

    @Override
    public void delete(String id, boolean force) {
        call("delete " + id + " force=" + force);
    }

    @Override
    public int exec(String id, ExecOptions options) {
        call("exec " + id);
        exec = options;
        return exitStatus;
    }

    @Override
    public List<State> list() {
        call("list");
        return listed;
    }

    @Override
    public List<Integer> pids(String id) {
        call("pids " + id);
        return pids;
    }

    @Override
    public void pause(String id) {
        call("pause " + id);
    }

    @Override
    public void resume(String id) {
        call("resume " + id);
    }

    @Override
    public void update(String id, Resources resources) {
        call("update " + id);
        updated = resources;
    }

    @Override
    public ContainerStats stats(String id) {
        call("stats " + id);
        if (oomOnStats) {
            oomKills++;
        }
        if (afterStats != null) {
            states.put(afterStats.id(), afterStats);
        }
        return stats;
    }

    @Override
    public long oomKills(String id) {
        return oomKills;
    }

    static State state(String id, State.Status status, int pid) {
        return new State("1.2.0", id, status, pid, "/b/" + id, "/b/" + id + "/rootfs", "2026-01-02T03:04:05.123456789Z", "root", null);
    }

    RecordingRuntime with(State state) {
        states.put(state.id(), state);
        return this;
    }
}
