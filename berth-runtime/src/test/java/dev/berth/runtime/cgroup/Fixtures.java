package dev.berth.runtime.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fixture trees laid out like /sys/fs/cgroup on v1, v2 and hybrid hosts, with the mountinfo
 * and /proc/self/cgroup text that describe them, so layouts go through the real parser.
 */
final class Fixtures {
    /** This process's memory cgroup in the v1 fixtures, as on the development machines. */
    static final String OWN_MEMORY = "/process_api/abc";

    record Host(Path cgroupRoot, CgroupLayout layout, FixtureCgroupFs fs) {
        Path mount(String name) {
            return cgroupRoot.resolve(name);
        }
    }

    private Fixtures() {}

    /** Separate cpu and cpuacct (as here), co-mounted net_cls,net_prio, v1 hugetlb, name=systemd. */
    static Host v1(Path tmp) {
        return v1(tmp, List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids",
                "hugetlb", "net_cls,net_prio", "name=systemd"), null);
    }

    /** cpu,cpuacct co-mounted, as on most distributions; no net classes, no hugetlb. */
    static Host v1CoMounted(Path tmp) {
        return v1(tmp, List.of("cpu,cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids",
                "name=systemd"), null);
    }

    /** Like the development machines: v1 controllers, plus cgroup2 at unified holding hugetlb. */
    static Host hybrid(Path tmp) {
        return v1(tmp, List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids",
                "name=systemd"), "hugetlb");
    }

    private static Host v1(Path tmp, List<String> hierarchies, String unifiedControllers) {
        Path root = tmp.resolve("sys/fs/cgroup");
        StringBuilder mountinfo = new StringBuilder("23 1 0:21 / / rw - ext4 /dev/vda rw\n");
        mountinfo.append("31 23 0:28 / ").append(root).append(" rw,relatime - tmpfs tmpfs rw,mode=755\n");
        StringBuilder procCgroup = new StringBuilder();
        int id = 1;
        for (String hierarchy : hierarchies) {
            String dirName = hierarchy.startsWith("name=") ? hierarchy.substring(5) : hierarchy;
            Path mount = root.resolve(dirName);
            for (String controller : hierarchy.split(",")) {
                v1Files(controller).forEach((file, content) -> put(mount.resolve(file), content));
            }
            v1Files("").forEach((file, content) -> put(mount.resolve(file), content));
            String own = hierarchy.equals("memory") ? OWN_MEMORY : "/";
            if (!own.equals("/")) {
                Path ownDir = Hierarchy.under(mount, own);
                v1Files("memory").forEach((file, content) -> put(ownDir.resolve(file), content));
                v1Files("").forEach((file, content) -> put(ownDir.resolve(file), content));
            }
            mountinfo.append(30 + id).append(" 31 0:").append(28 + id).append(" / ").append(mount)
                    .append(" rw,nosuid,nodev,noexec,relatime shared:").append(id)
                    .append(" - cgroup cgroup rw,").append(hierarchy).append('\n');
            procCgroup.insert(0, id + ":" + hierarchy + ":" + own + "\n");
            id++;
        }
        if (unifiedControllers != null) {
            Path unified = root.resolve("unified");
            put(unified.resolve("cgroup.controllers"), unifiedControllers);
            put(unified.resolve("cgroup.subtree_control"), "");
            put(unified.resolve("cgroup.procs"), "");
            put(unified.resolve("cgroup.events"), "populated 1\nfrozen 0\n");
            put(unified.resolve("cgroup.freeze"), "0");
            put(unified.resolve("cpu.stat"), "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
            put(unified.resolve("hugetlb.2MB.max"), "max");
            put(unified.resolve("hugetlb.2MB.rsvd.max"), "max");
            mountinfo.append("99 31 0:99 / ").append(unified).append(" rw,relatime - cgroup2 cgroup2 rw\n");
            procCgroup.append("0::/\n");
        }
        FixtureCgroupFs fs = new FixtureCgroupFs();
        return new Host(root, CgroupLayout.parse(mountinfo.toString(), procCgroup.toString(), fs), fs);
    }

    /** Pure cgroup v2 at /sys/fs/cgroup; this process sits in /user.slice/session-1.scope. */
    static Host v2(Path tmp) {
        Path root = tmp.resolve("sys/fs/cgroup");
        v2Files().forEach((file, content) -> put(root.resolve(file), content));
        put(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids");
        Path own = root.resolve("user.slice/session-1.scope");
        v2Files().forEach((file, content) -> put(own.resolve(file), content));
        String mountinfo = "23 1 0:21 / / rw - ext4 /dev/vda rw\n"
                + "31 23 0:28 / " + root + " rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
        FixtureCgroupFs fs = new FixtureCgroupFs();
        return new Host(root, CgroupLayout.parse(mountinfo, "0::/user.slice/session-1.scope\n", fs), fs);
    }

    private static Map<String, String> v2Files() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("cgroup.controllers", "cpuset cpu io memory hugetlb pids");
        f.put("cgroup.subtree_control", "");
        f.put("cgroup.procs", "");
        f.put("cgroup.events", "populated 0\nfrozen 0\n");
        f.put("cgroup.freeze", "0");
        f.put("cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\n");
        f.put("cpu.weight", "100");
        f.put("cpu.max", "max 100000");
        f.put("cpu.max.burst", "0");
        f.put("cpu.idle", "0");
        f.put("cpuset.cpus", "");
        f.put("cpuset.mems", "");
        f.put("memory.current", "0");
        f.put("memory.max", "max");
        f.put("memory.low", "0");
        f.put("memory.peak", "0");
        f.put("memory.swap.max", "max");
        f.put("memory.stat", "anon 0\nfile 0\n");
        f.put("io.weight", "default 100");
        f.put("io.max", "");
        f.put("pids.current", "0");
        f.put("pids.max", "max");
        f.put("hugetlb.2MB.max", "max");
        f.put("hugetlb.2MB.rsvd.max", "max");
        return f;
    }

    private static Map<String, String> v1Files(String controller) {
        String unlimited = "9223372036854771712";
        Map<String, String> f = new LinkedHashMap<>();
        switch (controller) {
            case "" -> {
                f.put("cgroup.procs", "");
                f.put("tasks", "");
                f.put("notify_on_release", "0");
            }
            case "cpu" -> {
                f.put("cpu.shares", "1024");
                f.put("cpu.cfs_quota_us", "-1");
                f.put("cpu.cfs_period_us", "100000");
                f.put("cpu.cfs_burst_us", "0");
                f.put("cpu.rt_period_us", "1000000");
                f.put("cpu.rt_runtime_us", "0");
                f.put("cpu.idle", "0");
            }
            case "cpuacct" -> {
                f.put("cpuacct.usage", "0");
                f.put("cpuacct.usage_user", "0");
                f.put("cpuacct.usage_sys", "0");
                f.put("cpuacct.stat", "user 0\nsystem 0\n");
            }
            case "cpuset" -> {
                f.put("cpuset.cpus", "0-1");
                f.put("cpuset.mems", "0");
            }
            case "memory" -> {
                f.put("memory.limit_in_bytes", unlimited);
                f.put("memory.soft_limit_in_bytes", unlimited);
                f.put("memory.memsw.limit_in_bytes", unlimited);
                f.put("memory.usage_in_bytes", "0");
                f.put("memory.max_usage_in_bytes", "0");
                f.put("memory.swappiness", "60");
                f.put("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
                f.put("memory.use_hierarchy", "1");
                f.put("memory.kmem.tcp.limit_in_bytes", unlimited);
                f.put("memory.stat", "cache 0\ntotal_cache 0\n");
            }
            case "devices" -> {
                f.put("devices.allow", "");
                f.put("devices.deny", "");
                f.put("devices.list", "a *:* rwm\n");
            }
            case "freezer" -> f.put("freezer.state", "THAWED");
            case "blkio" -> {
                // No blkio.weight: kernels without CFQ only have the BFQ file, as here.
                f.put("blkio.bfq.weight", "100");
                f.put("blkio.bfq.weight_device", "");
                f.put("blkio.throttle.read_bps_device", "");
                f.put("blkio.throttle.write_bps_device", "");
                f.put("blkio.throttle.read_iops_device", "");
                f.put("blkio.throttle.write_iops_device", "");
            }
            case "pids" -> {
                f.put("pids.max", "max");
                f.put("pids.current", "0");
            }
            case "hugetlb" -> {
                f.put("hugetlb.2MB.limit_in_bytes", unlimited);
                f.put("hugetlb.2MB.rsvd.limit_in_bytes", unlimited);
                f.put("hugetlb.1GB.limit_in_bytes", unlimited);
            }
            case "net_cls" -> f.put("net_cls.classid", "0");
            case "net_prio" -> f.put("net_prio.ifpriomap", "");
            default -> { }
        }
        return f;
    }

    static void put(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String get(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
