package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes OCI resources to cgroup v2 files, converting the v1-shaped values as runc does.
 * Only the controllers this manager owns are written (in hybrid mode, those not on v1).
 *
 * <p>Settings v2 has no file for are ignored, as runc ignores them: memory.kernel,
 * memory.kernelTCP, memory.swappiness, memory.disableOOMKiller, memory.useHierarchy,
 * blockIO.leafWeight, network (use eBPF or the unified map instead). Realtime CPU limits
 * are refused: silently dropping a scheduling guarantee would be worse.
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v2.html#controllers">cgroup v2 controllers</a>
 * @see <a href="https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#unified">config-linux.md, Unified</a>
 */
final class V2Resources {
    private final CgroupFiles files;
    private final Path dir;
    private final Set<String> owned;

    V2Resources(CgroupFiles files, Path dir, Set<String> owned) {
        this.files = files;
        this.dir = dir;
        this.owned = owned;
    }

    void write(Resources r, boolean update) {
        if (r.cpu() != null && owned.contains("cpuset")) {
            writeCpuset(r.cpu());
        }
        if (r.cpu() != null && owned.contains("cpu")) {
            writeCpu(r.cpu());
        }
        if (r.memory() != null && owned.contains("memory")) {
            writeMemory(r.memory(), update);
        }
        if (r.pids() != null && owned.contains("pids")) {
            files.write(dir, "pids.max", V1Resources.pidsMax(r.pids()));
        }
        if (r.blockIO() != null && owned.contains("io")) {
            new V2Io(files, dir).write(r.blockIO());
        }
        if (owned.contains("hugetlb")) {
            writeHugetlb(r.hugepageLimits());
        }
        writeUnified(r.unified());
    }

    private void writeMemory(Resources.Memory m, boolean update) {
        long limit = m.limit() == null ? 0 : m.limit();
        if (m.swap() != null && m.swap() != 0 && limit == 0) {
            // An update may change swap alone; the conversion needs the memory limit in force.
            limit = files.readLong(dir, "memory.max", -1).orElse(-1L);
        }
        boolean swapAsked = m.swap() != null && m.swap() != 0;
        long swap = Conversions.swapToV2(swapAsked ? m.swap() : 0, limit);
        if (swap != 0) {
            if (swapAsked) {
                V1Resources.require(files, dir, "memory.swap.max", "swap limit (memory.swap)");
            }
            // Unlimited memory implies unlimited swap, but only where the host accounts swap.
            if (files.exists(dir, "memory.swap.max")) {
                files.write(dir, "memory.swap.max", Conversions.maxOr(swap));
            }
        }
        if (m.limit() != null && m.limit() != 0) {
            if (update && Boolean.TRUE.equals(m.checkBeforeUpdate()) && m.limit() > 0) {
                long current = files.readLong(dir, "memory.current", 0).orElse(0L);
                if (current > m.limit()) {
                    throw BerthException.invalid("memory limit " + m.limit() + " is below the current usage "
                            + current + " of " + dir);
                }
            }
            files.write(dir, "memory.max", Conversions.maxOr(m.limit()));
        }
        if (m.reservation() != null && m.reservation() != 0) {
            files.write(dir, "memory.low", Conversions.maxOr(m.reservation()));
        }
    }

    private void writeCpu(Resources.Cpu c) {
        if ((c.realtimeRuntime() != null && c.realtimeRuntime() != 0)
                || (c.realtimePeriod() != null && c.realtimePeriod() != 0)) {
            throw BerthException.unsupported("realtime cpu limits are not supported on cgroup v2");
        }
        if (c.shares() != null && c.shares() != 0) {
            long weight = Conversions.sharesToWeight(c.shares());
            if (weight < 1 || weight > 10000) {
                throw BerthException.invalid("cpu.shares " + c.shares() + " is not in 2..262144");
            }
            files.write(dir, "cpu.weight", weight);
        }
        boolean quota = c.quota() != null && c.quota() != 0;
        boolean period = c.period() != null && c.period() != 0;
        if (quota || period) {
            // cpu.max holds both; keep the quota in force when only the period changes.
            String quotaText = quota ? Conversions.maxOr(c.quota())
                    : files.read(dir, "cpu.max").split("\\s+")[0];
            files.write(dir, "cpu.max", period ? quotaText + " " + c.period() : quotaText);
        }
        if (c.burst() != null) {
            V1Resources.require(files, dir, "cpu.max.burst", "cpu burst");
            files.write(dir, "cpu.max.burst", c.burst());
        }
        if (c.idle() != null) {
            V1Resources.require(files, dir, "cpu.idle", "cpu idle");
            files.write(dir, "cpu.idle", c.idle());
        }
    }

    private void writeCpuset(Resources.Cpu c) {
        if (Needs.isSet(c.cpus())) {
            files.write(dir, "cpuset.cpus", c.cpus());
        }
        if (Needs.isSet(c.mems())) {
            files.write(dir, "cpuset.mems", c.mems());
        }
    }

    private void writeHugetlb(List<Resources.HugepageLimit> limits) {
        for (Resources.HugepageLimit limit : limits) {
            String file = "hugetlb." + limit.pageSize() + ".max";
            if (!files.exists(dir, file)) {
                throw BerthException.invalid("hugepage size \"" + limit.pageSize()
                        + "\" is not supported by this host: " + dir.resolve(file) + " does not exist");
            }
            files.write(dir, file, limit.limit());
            String rsvd = "hugetlb." + limit.pageSize() + ".rsvd.max";
            if (files.exists(dir, rsvd)) {
                files.write(dir, rsvd, limit.limit());
            }
        }
    }

    /**
     * Unified entries are written as given (the spec: unknown keys must still be written), but
     * a key must name a file in this cgroup of a controller that is enabled for it.
     */
    private void writeUnified(Map<String, String> unified) {
        if (unified.isEmpty()) {
            return;
        }
        Set<String> enabled = CgroupLayout.words(files.read(dir, "cgroup.controllers"));
        for (Map.Entry<String, String> e : unified.entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.contains("/") || key.startsWith(".") || !key.contains(".")) {
                throw BerthException.invalid("unified key \"" + key + "\" is not a cgroup file name");
            }
            String controller = key.substring(0, key.indexOf('.'));
            if (!controller.equals("cgroup") && !enabled.contains(controller) && !files.exists(dir, key)) {
                // runc's prefix for a config it refuses (cgroups.bats: v1 + unified resources)
                throw BerthException.unsupported("invalid configuration: unified key \"" + key + "\" needs cgroup controller \""
                        + controller + "\", which is not enabled in " + dir);
            }
            if (!files.exists(dir, key)) {
                throw BerthException.invalid("unified key \"" + key + "\" names no file in " + dir);
            }
            files.write(dir, key, e.getValue());
        }
    }
}
