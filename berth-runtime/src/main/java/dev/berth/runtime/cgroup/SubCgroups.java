package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sub-cgroups an exec'd process joins (runc's {@code exec --cgroup}): each controller named
 * maps to a path below the container's cgroup; the key "" stands for every hierarchy. Hierarchies
 * not named keep the container's cgroup itself.
 */
public record SubCgroups(Map<String, String> paths) {
    public static final SubCgroups NONE = new SubCgroups(Map.of());

    public SubCgroups {
        paths = Map.copyOf(paths);
    }

    /**
     * runc's flag values: {@code PATH} (alone: every hierarchy) or {@code CONTROLLER[,CONTROLLER...]:PATH},
     * repeatable.
     */
    public static SubCgroups parse(List<String> args) {
        Map<String, String> paths = new LinkedHashMap<>();
        for (String arg : args) {
            String[] parts = arg.split(":", -1);
            if (parts.length > 2) {
                throw BerthException.invalid("invalid --cgroup argument: " + arg);
            }
            if (parts.length == 1) {
                if (args.size() != 1) {
                    throw BerthException.invalid("invalid --cgroup argument: " + arg + " (missing <controller>: prefix)");
                }
                paths.put("", arg);
            } else {
                for (String controller : parts[0].split(",", -1)) {
                    paths.put(controller, parts[1]);
                }
            }
        }
        return new SubCgroups(paths);
    }

    public boolean isEmpty() {
        return paths.isEmpty();
    }

    /** The sub-path for a hierarchy holding {@code controllers}: a named one first, then "", else none. */
    String forHierarchy(Iterable<String> controllers) {
        for (String c : controllers) {
            String p = paths.get(c);
            if (p != null) {
                return p;
            }
        }
        return paths.getOrDefault("", "");
    }

    /** {@code dir/sub}, refused when sub climbs out of dir (runc's words). */
    static Path below(Path dir, String sub) {
        Path joined = dir.resolve(sub.startsWith("/") ? sub.substring(1) : sub).normalize();
        if (!joined.startsWith(dir.normalize())) {
            throw BerthException.invalid(sub + " is not a sub cgroup path");
        }
        return joined;
    }

    /** Writes pid to {@code dir/cgroup.procs}; a missing dir is named as runc names it. */
    static void join(CgroupFiles files, Path dir, int pid) {
        if (!files.fs().exists(dir)) {
            throw BerthException.notFound("error adding pid " + pid + " to cgroups: open " + dir.resolve("cgroup.procs")
                    + ": no such file or directory");
        }
        files.write(dir, "cgroup.procs", Integer.toString(pid));
    }
}
