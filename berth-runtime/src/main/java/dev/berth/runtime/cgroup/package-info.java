/**
 * Container cgroups on cgroup v1, v2 and "hybrid" hosts.
 *
 * <p>{@link dev.berth.runtime.cgroup.CgroupLayout} finds the hierarchies and, per controller,
 * which one holds it; {@link dev.berth.runtime.cgroup.CgroupPath} turns a config's
 * {@code linux.cgroupsPath} into a place in them; a
 * {@link dev.berth.runtime.cgroup.CgroupManager} creates, fills, freezes, reads and removes the
 * container's cgroup. Every file access goes through {@link dev.berth.runtime.cgroup.CgroupFs},
 * so the logic is tested against fixture trees without root.
 *
 * <p>Decisions: the default path is {@code /berth/<id>}; the systemd driver is not supported;
 * destroy removes the leaf its create made and, once empty, the parents berth made, its own create's or any
 * berth create's ({@link dev.berth.runtime.cgroup.ParentMarks}); v2 device rules (eBPF) are not supported yet.
 *
 * @see <a href="https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#control-groups">config-linux.md, Control groups</a>
 */
package dev.berth.runtime.cgroup;
