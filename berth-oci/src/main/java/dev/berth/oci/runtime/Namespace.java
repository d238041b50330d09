package dev.berth.oci.runtime;

/**
 * One linux.namespaces entry. type is one of pid, network, mount, ipc, uts, user, cgroup, time;
 * path, when not null, names an existing namespace to join instead of creating a new one.
 */
public record Namespace(String type, String path) {}
