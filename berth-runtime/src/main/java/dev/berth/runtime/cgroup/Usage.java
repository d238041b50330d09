package dev.berth.runtime.cgroup;

import dev.berth.runtime.api.ContainerStats;
import java.util.Optional;

/**
 * Resource usage read from one controller each, so the hybrid manager can take every part
 * from the hierarchy that holds its controller.
 */
final class Usage {
    private Usage() {}

    /** CPU time in nanoseconds. */
    record Cpu(long total, long user, long kernel) {}

    /** Memory in bytes; limit is Long.MAX_VALUE when unlimited. */
    record Memory(long usage, long limit, long maxUsage, long cache) {}

    /** Task count and pids.max, 0 when unlimited (as runc reports it). */
    record Pids(long current, long limit) {}

    static ContainerStats stats(Optional<Cpu> cpu, Optional<Memory> memory, Optional<Pids> pids) {
        Cpu c = cpu.orElse(new Cpu(0, 0, 0));
        Memory m = memory.orElse(new Memory(0, 0, 0, 0));
        Pids p = pids.orElse(new Pids(0, 0));
        return new ContainerStats(c.total(), c.user(), c.kernel(), m.usage(), m.limit(), m.maxUsage(),
                m.cache(), p.current(), p.limit());
    }
}
