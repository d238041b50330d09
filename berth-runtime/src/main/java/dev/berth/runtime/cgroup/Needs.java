package dev.berth.runtime.cgroup;

import dev.berth.oci.runtime.Resources;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The controllers a Resources asks for, named as on cgroup v1 ("blkio", not "io"), so a
 * manager can refuse up front instead of silently dropping a limit the host cannot apply.
 * Network classes are not listed: net_cls/net_prio are applied only where mounted.
 */
final class Needs {
    private Needs() {}

    static Set<String> controllers(Resources r) {
        Set<String> needs = new LinkedHashSet<>();
        if (r.memory() != null) {
            needs.add("memory");
        }
        Resources.Cpu cpu = r.cpu();
        if (cpu != null) {
            if (cpu.shares() != null || cpu.quota() != null || cpu.period() != null || cpu.burst() != null
                    || cpu.realtimeRuntime() != null || cpu.realtimePeriod() != null || cpu.idle() != null) {
                needs.add("cpu");
            }
            if (isSet(cpu.cpus()) || isSet(cpu.mems())) {
                needs.add("cpuset");
            }
        }
        if (r.pids() != null) {
            needs.add("pids");
        }
        if (r.blockIO() != null) {
            needs.add("blkio");
        }
        if (!r.hugepageLimits().isEmpty()) {
            needs.add("hugetlb");
        }
        if (!r.devices().isEmpty()) {
            needs.add("devices");
        }
        return needs;
    }

    /** The cgroup v2 name of a v1 controller. */
    static String v2Name(String v1Controller) {
        return v1Controller.equals("blkio") ? "io" : v1Controller;
    }

    static boolean isSet(String s) {
        return s != null && !s.isEmpty();
    }
}
