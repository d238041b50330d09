package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which cgroup hierarchies this host has and which controllers each holds, decided per
 * controller: pure v1, pure v2 (unified), or "hybrid" (v1 controllers plus a cgroup2 mount
 * that may hold a few controllers such as hugetlb, or none).
 *
 * <p>Built from /proc/self/mountinfo (mount points, fs types, v1 mount options) and
 * /proc/self/cgroup (v1 hierarchy controller lists and this process's own cgroups); the v2
 * controller list comes from the root's {@code cgroup.controllers}.
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v2.html">cgroup v2</a>
 */
public record CgroupLayout(List<Hierarchy> v1, Optional<Hierarchy> v2) {

    public enum Mode { V1, V2, HYBRID }

    public CgroupLayout {
        v1 = List.copyOf(v1);
        if (v1.isEmpty() && v2.isEmpty()) {
            throw BerthException.unsupported("no cgroup hierarchy is mounted");
        }
    }

    /** The layout of the running host. */
    public static CgroupLayout detect() {
        return detect(Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"), CgroupFs.host());
    }

    public static CgroupLayout detect(Path mountinfo, Path procSelfCgroup, CgroupFs fs) {
        return parse(fs.read(mountinfo), fs.read(procSelfCgroup), fs);
    }

    /** Parses the two proc files' contents; fs is used only to read v2's cgroup.controllers. */
    public static CgroupLayout parse(String mountinfo, String procSelfCgroup, CgroupFs fs) {
        Map<String, String> v1Own = new LinkedHashMap<>(); // "cpu,cpuacct" -> own path
        String v2Own = null;
        for (String line : procSelfCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2Own = f[2];
            } else if (!f[1].isEmpty()) {
                v1Own.put(f[1], f[2]);
            }
        }
        List<Hierarchy> v1 = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Hierarchy v2 = null;
        for (MountInfoLine m : MountInfoLine.parseAll(mountinfo)) {
            if (m.fsType().equals("cgroup2") && v2 == null && v2Own != null) {
                Path controllersFile = m.mountPoint().resolve("cgroup.controllers");
                Set<String> controllers = fs.exists(controllersFile)
                        ? words(fs.read(controllersFile)) : Set.of();
                v2 = new Hierarchy(m.mountPoint(), m.root(), controllers, v2Own, true);
            } else if (m.fsType().equals("cgroup")) {
                Set<String> options = new HashSet<>(Arrays.asList(m.superOptions().split(",")));
                for (Map.Entry<String, String> own : v1Own.entrySet()) {
                    List<String> controllers = Arrays.asList(own.getKey().split(","));
                    // The first mount of a hierarchy wins; later ones are bind mounts of it.
                    if (options.containsAll(controllers) && seen.add(own.getKey())) {
                        v1.add(new Hierarchy(m.mountPoint(), m.root(), Set.copyOf(controllers),
                                own.getValue(), false));
                    }
                }
            }
        }
        return new CgroupLayout(v1, Optional.ofNullable(v2));
    }

    public Mode mode() {
        if (v1.isEmpty()) {
            return Mode.V2;
        }
        return v2.isPresent() ? Mode.HYBRID : Mode.V1;
    }

    /** The v1 hierarchy holding a controller, e.g. "memory" or "name=systemd". */
    public Optional<Hierarchy> v1For(String controller) {
        return v1.stream().filter(h -> h.has(controller)).findFirst();
    }

    /** Controllers on v1 hierarchies. */
    public Set<String> v1Controllers() {
        Set<String> all = new HashSet<>();
        v1.forEach(h -> all.addAll(h.controllers()));
        return all;
    }

    /** Controllers usable through v2: offered by its root and not bound to a v1 hierarchy. */
    public Set<String> v2OnlyControllers() {
        Set<String> only = new HashSet<>(v2.map(Hierarchy::controllers).orElse(Set.of()));
        only.removeAll(v1Controllers());
        return only;
    }

    static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String w : text.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }
}
