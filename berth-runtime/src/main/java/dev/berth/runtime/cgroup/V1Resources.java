package dev.berth.runtime.cgroup;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.Resources;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Writes OCI resources to cgroup v1 files. A controller that has no hierarchy here is skipped:
 * the manager has already refused resources that need a missing controller.
 *
 * <p>Kernel memory ({@code memory.kernel}) is ignored: the spec marks it NOT RECOMMENDED and
 * kernels since 5.16 ignore or reject memory.kmem.limit_in_bytes (runc ignores it too).
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/index.html">cgroup v1 controllers</a>
 */
final class V1Resources {
    private final CgroupFiles files;
    private final Function<String, Optional<Path>> dirOf;

    /** @param dirOf the container's directory in the hierarchy of a controller, if mounted */
    V1Resources(CgroupFiles files, Function<String, Optional<Path>> dirOf) {
        this.files = files;
        this.dirOf = dirOf;
    }

    void write(Resources r) {
        // cpuset first: the other controllers don't care, but a failed cpuset is the most
        // common reason a later cgroup.procs write fails, so report it early.
        if (r.cpu() != null) {
            dirOf.apply("cpuset").ifPresent(dir -> writeCpuset(dir, r.cpu()));
            dirOf.apply("cpu").ifPresent(dir -> writeCpu(dir, r.cpu()));
        }
        if (r.memory() != null) {
            dirOf.apply("memory").ifPresent(dir -> writeMemory(dir, r.memory()));
        }
        if (r.pids() != null) {
            dirOf.apply("pids").ifPresent(dir -> files.write(dir, "pids.max", pidsMax(r.pids())));
        }
        if (r.blockIO() != null) {
            dirOf.apply("blkio").ifPresent(dir -> new V1BlockIo(files, dir).write(r.blockIO()));
        }
        dirOf.apply("hugetlb").ifPresent(dir -> writeHugetlb(dir, r));
        if (!r.devices().isEmpty()) {
            dirOf.apply("devices").ifPresent(dir -> V1Devices.write(files, dir, r.devices()));
        }
        if (r.network() != null) {
            writeNetwork(r.network());
        }
    }

    /** OCI: -1 means no limit; 0 is a valid (if harsh) limit. */
    static String pidsMax(Resources.Pids pids) {
        return pids.limit() < 0 ? "max" : Long.toString(pids.limit());
    }

    private void writeMemory(Path dir, Resources.Memory m) {
        writeLimitAndSwap(dir, m.limit(), m.swap());
        if (m.reservation() != null) {
            files.write(dir, "memory.soft_limit_in_bytes", m.reservation());
        }
        if (m.kernelTCP() != null) {
            requireFile(dir, "memory.kmem.tcp.limit_in_bytes", "kernel TCP memory limit");
            files.write(dir, "memory.kmem.tcp.limit_in_bytes", m.kernelTCP());
        }
        if (m.swappiness() != null) {
            if (m.swappiness() < 0 || m.swappiness() > 100) {
                throw BerthException.invalid("memory.swappiness " + m.swappiness() + " is not in 0..100");
            }
            files.write(dir, "memory.swappiness", m.swappiness());
        }
        if (m.disableOOMKiller() != null) {
            files.write(dir, "memory.oom_control", m.disableOOMKiller() ? "1" : "0");
        }
        if (m.useHierarchy() != null) {
            String wanted = m.useHierarchy() ? "1" : "0";
            // Modern kernels fix this at 1 and reject writes, so write only a real change.
            if (!files.read(dir, "memory.use_hierarchy").equals(wanted)) {
                files.write(dir, "memory.use_hierarchy", wanted);
            }
        }
    }

    /**
     * The kernel keeps memsw >= limit at every moment, so the order of the two writes
     * depends on whether the memsw limit grows or shrinks.
     */
    private void writeLimitAndSwap(Path dir, Long limit, Long swap) {
        boolean swapAsked = swap != null && swap != 0;
        if (limit != null && limit == -1 && !swapAsked && files.exists(dir, "memory.memsw.limit_in_bytes")) {
            // runc: unlimited memory with no swap given means unlimited swap too (the kernel
            // refuses a memory limit above the memsw one)
            swap = -1L;
            swapAsked = true;
        }
        if (swapAsked) {
            requireFile(dir, "memory.memsw.limit_in_bytes", "swap limit (memory.swap)");
        }
        if (limit == null || limit == 0) {
            if (swapAsked) {
                files.write(dir, "memory.memsw.limit_in_bytes", swap);
            }
            return;
        }
        if (!swapAsked) {
            files.write(dir, "memory.limit_in_bytes", limit);
            return;
        }
        long currentMemsw = files.readLong(dir, "memory.memsw.limit_in_bytes", Long.MAX_VALUE).orElse(-1L);
        boolean swapGrows = swap == -1 || currentMemsw == -1 || Long.compareUnsigned(swap, currentMemsw) > 0;
        if (swapGrows) {
            files.write(dir, "memory.memsw.limit_in_bytes", swap);
            files.write(dir, "memory.limit_in_bytes", limit);
        } else {
            files.write(dir, "memory.limit_in_bytes", limit);
            files.write(dir, "memory.memsw.limit_in_bytes", swap);
        }
    }

    private void writeCpu(Path dir, Resources.Cpu c) {
        if (c.shares() != null && c.shares() != 0) {
            files.write(dir, "cpu.shares", c.shares());
            // The kernel clamps out-of-range shares silently; say so instead.
            long actual = files.readLong(dir, "cpu.shares", Long.MAX_VALUE).orElse(c.shares());
            if (actual != c.shares()) {
                throw BerthException.invalid("cpu.shares " + c.shares() + " is out of range, the kernel set "
                        + actual);
            }
        }
        boolean quotaWritten = false;
        if (c.period() != null && c.period() != 0) {
            try {
                files.write(dir, "cpu.cfs_period_us", c.period());
            } catch (BerthException e) {
                // A shorter period can be invalid with the old quota: set the quota first.
                if (c.quota() == null || c.quota() == 0) {
                    throw e;
                }
                files.write(dir, "cpu.cfs_quota_us", c.quota());
                quotaWritten = true;
                files.write(dir, "cpu.cfs_period_us", c.period());
            }
        }
        if (!quotaWritten && c.quota() != null && c.quota() != 0) {
            files.write(dir, "cpu.cfs_quota_us", c.quota());
        }
        if (c.burst() != null) {
            requireFile(dir, "cpu.cfs_burst_us", "cpu burst");
            files.write(dir, "cpu.cfs_burst_us", c.burst());
        }
        // The runtime must not exceed the period, so the period goes first.
        if (c.realtimePeriod() != null && c.realtimePeriod() != 0) {
            requireFile(dir, "cpu.rt_period_us", "realtime cpu period");
            files.write(dir, "cpu.rt_period_us", c.realtimePeriod());
        }
        if (c.realtimeRuntime() != null) {
            requireFile(dir, "cpu.rt_runtime_us", "realtime cpu runtime");
            files.write(dir, "cpu.rt_runtime_us", c.realtimeRuntime());
        }
        if (c.idle() != null) {
            requireFile(dir, "cpu.idle", "cpu idle");
            files.write(dir, "cpu.idle", c.idle());
        }
    }

    private void writeCpuset(Path dir, Resources.Cpu c) {
        if (Needs.isSet(c.cpus())) {
            files.write(dir, "cpuset.cpus", c.cpus());
        }
        if (Needs.isSet(c.mems())) {
            files.write(dir, "cpuset.mems", c.mems());
        }
    }

    private void writeHugetlb(Path dir, Resources r) {
        for (Resources.HugepageLimit limit : r.hugepageLimits()) {
            String file = "hugetlb." + limit.pageSize() + ".limit_in_bytes";
            if (!files.exists(dir, file)) {
                throw BerthException.invalid("hugepage size \"" + limit.pageSize()
                        + "\" is not supported by this host: " + dir.resolve(file) + " does not exist");
            }
            files.write(dir, file, limit.limit());
            // Reservation accounting, where the kernel has it, is what the spec prefers.
            String rsvd = "hugetlb." + limit.pageSize() + ".rsvd.limit_in_bytes";
            if (files.exists(dir, rsvd)) {
                files.write(dir, rsvd, limit.limit());
            }
        }
    }

    private void writeNetwork(Resources.Network n) {
        if (n.classID() != null) {
            dirOf.apply("net_cls").ifPresent(dir -> files.write(dir, "net_cls.classid", n.classID()));
        }
        dirOf.apply("net_prio").ifPresent(dir -> {
            for (Resources.InterfacePriority p : n.priorities()) {
                files.write(dir, "net_prio.ifpriomap", p.name() + " " + p.priority());
            }
        });
    }

    private void requireFile(Path dir, String file, String what) {
        require(files, dir, file, what);
    }

    /** Optional kernel features show up as files; a missing one is UNSUPPORTED, naming the file. */
    static void require(CgroupFiles files, Path dir, String file, String what) {
        if (!files.exists(dir, file)) {
            throw BerthException.unsupported(what + " is not supported by this kernel: "
                    + dir.resolve(file) + " does not exist");
        }
    }
}
