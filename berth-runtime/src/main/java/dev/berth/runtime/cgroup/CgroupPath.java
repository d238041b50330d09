package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's place in the cgroup hierarchies, resolved from {@code linux.cgroupsPath}.
 *
 * <ul>
 *   <li>absent or empty: {@value #DEFAULT_PARENT}/&lt;container-id&gt; from each hierarchy's
 *       root. runc uses /&lt;id&gt;; berth groups its containers under one parent so a host
 *       admin sees them together and can put limits on all of them;
 *   <li>absolute ({@code /a/b}): from each hierarchy's root, i.e. its mount point;
 *   <li>relative ({@code a/b}): from this process's own cgroup in each hierarchy, as runc does;
 *   <li>systemd form {@code slice:prefix:name}: unsupported, berth has no systemd driver.
 * </ul>
 *
 * {@code ..} components are rejected so a config cannot climb out of the hierarchy; {@code .}
 * and empty components are dropped.
 *
 * @param components the path's directory names, never empty
 * @param relative   true when the path starts at this process's own cgroup
 * @see <a href="https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#cgroups-path">config-linux.md, Cgroups Path</a>
 */
public record CgroupPath(List<String> components, boolean relative) {

    /** The parent of containers whose config names no cgroupsPath. */
    public static final String DEFAULT_PARENT = "/berth";

    public CgroupPath {
        components = List.copyOf(components);
        if (components.isEmpty()) {
            throw BerthException.invalid("cgroupsPath names the root cgroup");
        }
    }

    public static CgroupPath resolve(String cgroupsPath, String containerId) {
        if (cgroupsPath == null || cgroupsPath.isBlank()) {
            if (containerId == null || containerId.isEmpty() || containerId.contains("/")
                    || containerId.equals(".") || containerId.equals("..")) {
                throw BerthException.invalid("container id \"" + containerId + "\" cannot name a cgroup");
            }
            return new CgroupPath(List.of(DEFAULT_PARENT.substring(1), containerId), false);
        }
        if (isSystemdForm(cgroupsPath)) {
            throw BerthException.unsupported("systemd cgroup driver is not supported");
        }
        List<String> parts = new ArrayList<>();
        for (String part : cgroupsPath.split("/")) {
            if (part.equals("..")) {
                throw BerthException.invalid("cgroupsPath \"" + cgroupsPath + "\" must not contain \"..\"");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        if (parts.isEmpty()) {
            throw BerthException.invalid("cgroupsPath \"" + cgroupsPath + "\" names the root cgroup");
        }
        return new CgroupPath(parts, !cgroupsPath.startsWith("/"));
    }

    /** runc's systemd driver takes "slice:prefix:name" (the slice may be empty). */
    private static boolean isSystemdForm(String path) {
        String[] parts = path.split(":", -1);
        return !path.startsWith("/") && parts.length == 3 && !parts[0].contains("/");
    }

    /** The container's directory in one hierarchy. */
    public Path dirIn(Hierarchy hierarchy) {
        Path dir = relative ? hierarchy.ownDir() : hierarchy.mountPoint();
        for (String part : components) {
            dir = dir.resolve(part);
        }
        return dir;
    }

    @Override
    public String toString() {
        return (relative ? "" : "/") + String.join("/", components);
    }
}
