package dev.berth.oci.runtime;

import java.util.List;

/**
 * linux.namespaces types (config-linux.md "Namespaces"): {@link #ALL} are the names the spec
 * defines and the validator accepts; {@link #SUPPORTED} are those berth can create or join
 * today, as reported by {@code features} (no time namespace yet, as runc 1.1).
 */
public final class NamespaceTypes {
    public static final List<String> ALL = List.of("pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time");

    /** In the sorted order runc's {@code features} prints them. */
    public static final List<String> SUPPORTED = List.of("cgroup", "ipc", "mount", "network", "pid", "user", "uts");

    private NamespaceTypes() {}

    public static boolean isKnown(String type) {
        return type != null && ALL.contains(type);
    }
}
