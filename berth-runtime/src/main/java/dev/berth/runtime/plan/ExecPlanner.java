package dev.berth.runtime.plan;

import dev.berth.oci.runtime.Namespace;
import dev.berth.oci.runtime.Process;
import dev.berth.oci.runtime.Rlimit;
import java.util.List;
import java.util.Optional;

/**
 * The plan of an extra process in a running container (runc exec): join every namespace of the
 * container's init through /proc/[pid]/ns, then the same identity, capability and seccomp tail
 * as the init.
 */
public final class ExecPlanner {
    /** user first: the others are then entered with the container's user namespace privileges. */
    private static final List<String> JOIN_ORDER = List.of("user", "ipc", "uts", "network", "pid", "cgroup", "mount", "time");

    private ExecPlanner() {}

    public static LaunchPlan plan(int initPid, List<Namespace> namespaces, Process process,
                                  Optional<java.nio.file.Path> consoleSocket, boolean relayConsole,
                                  Optional<ContainerPlanner.SeccompFilter> seccomp, int preserveFds) {
        return plan(initPid, namespaces, process, consoleSocket, relayConsole, seccomp, preserveFds, List.of());
    }

    /**
     * As above; the process joins the container's cgroups itself by writing 0 to
     * {@code cgroupFiles} (v1 tasks files, cgroup.procs for v2), which stage 0 opens before it
     * joins the container's namespaces. With no files the runtime moves the process in.
     */
    public static LaunchPlan plan(int initPid, List<Namespace> namespaces, Process process,
                                  Optional<java.nio.file.Path> consoleSocket, boolean relayConsole,
                                  Optional<ContainerPlanner.SeccompFilter> seccomp, int preserveFds,
                                  List<java.nio.file.Path> cgroupFiles) {
        if (process.args().isEmpty()) {
            throw dev.berth.oci.BerthException.invalid("exec: process.args must not be empty");
        }
        LaunchPlan plan = new LaunchPlan();
        cgroupFiles.forEach(f -> plan.add(Op.CGROUP_JOIN, f.toString()));
        if (process.terminal()) {
            if (consoleSocket.isPresent()) {
                plan.add(Op.CONNECT_CONSOLE, consoleSocket.get().toAbsolutePath().toString());
            } else if (relayConsole) {
                plan.add(Op.CONSOLE_RELAY);
            } else {
                throw dev.berth.oci.BerthException.invalid(
                        "cannot allocate tty if berth-runtime will detach without setting console socket");
            }
        }
        for (String type : JOIN_ORDER) {
            if (Namespaces.find(namespaces, type).isPresent()) {
                plan.add(Op.JOIN_NS, "/proc/" + initPid + "/ns/" + Namespaces.procName(type), Namespaces.flag(type));
            }
        }
        plan.add(Op.CLONE, 0L);
        if (process.terminal()) {
            plan.add(Op.SETSID);
            long rows = process.consoleSize() == null ? 0 : process.consoleSize().height();
            long cols = process.consoleSize() == null ? 0 : process.consoleSize().width();
            plan.add(Op.CONSOLE, -1L, rows, cols);
        }
        for (Rlimit l : process.rlimits()) {
            plan.add(Op.RLIMIT, (long) Rlimits.number(l.type()), l.soft(), l.hard());
        }
        if (process.oomScoreAdj() != null) {
            plan.add(Op.OOM_SCORE, Integer.toString(process.oomScoreAdj()));
        }
        ContainerPlanner.addProcessIdentityAndExec(plan, process, seccomp, preserveFds);
        return plan;
    }
}
