package dev.berth.runtime.linux;

import dev.berth.runtime.plan.HostFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads {@link HostFacts} from /proc/self/mounts. */
final class HostFactsReader {
    /** Mount options that are not controller names. */
    private static final Set<String> NOT_CONTROLLERS = Set.of("rw", "ro", "nosuid", "nodev", "noexec",
            "relatime", "noatime", "strictatime", "nsdelegate", "memory_recursiveprot", "clone_children");

    private HostFactsReader() {}

    static HostFacts read() {
        List<HostFacts.CgroupHierarchy> v1 = new ArrayList<>();
        boolean v2Root = false;
        boolean v2Unified = false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length < 4) {
                    continue;
                }
                String mountPoint = f[1];
                if (f[2].equals("cgroup2")) {
                    if (mountPoint.equals("/sys/fs/cgroup")) {
                        v2Root = true;
                    } else if (mountPoint.equals("/sys/fs/cgroup/unified")) {
                        v2Unified = true;
                    }
                } else if (f[2].equals("cgroup") && mountPoint.startsWith("/sys/fs/cgroup/")) {
                    List<String> opts = new ArrayList<>();
                    for (String o : f[3].split(",")) {
                        if (!NOT_CONTROLLERS.contains(o)) {
                            opts.add(o);
                        }
                    }
                    v1.add(new HostFacts.CgroupHierarchy(mountPoint.substring("/sys/fs/cgroup/".length()), String.join(",", opts)));
                }
            }
        } catch (IOException e) {
            // no /proc: plan without cgroup mounts
        }
        boolean kcore = Files.exists(Path.of("/proc/kcore"));
        return new HostFacts(v1, v2Root || v2Unified, !v1.isEmpty() && v2Unified, kcore);
    }
}
