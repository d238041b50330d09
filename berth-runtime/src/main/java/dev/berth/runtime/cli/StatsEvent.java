package dev.berth.runtime.cli;

import dev.berth.runtime.api.ContainerStats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code events} line: {@code {"type":"stats","id":...,"data":{...}}} with data shaped like
 * runc's types.Stats (github.com/opencontainers/runc/types), restricted to what
 * {@link ContainerStats} carries. Zero values are left out where runc marks the field omitempty,
 * so consumers see the same keys runc would give them.
 */
final class StatsEvent {
    private StatsEvent() {}

    static Map<String, Object> tree(String id, ContainerStats stats) {
        Map<String, Object> usage = new LinkedHashMap<>();
        putIfNonZero(usage, "total", stats.cpuTotalNanos());
        usage.put("kernel", stats.cpuKernelNanos());
        usage.put("user", stats.cpuUserNanos());
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("usage", usage);
        cpu.put("throttling", new LinkedHashMap<>());

        Map<String, Object> memoryUsage = new LinkedHashMap<>();
        memoryUsage.put("limit", stats.memoryLimitBytes());
        putIfNonZero(memoryUsage, "usage", stats.memoryUsageBytes());
        putIfNonZero(memoryUsage, "max", stats.memoryMaxUsageBytes());
        memoryUsage.put("failcnt", 0L);
        Map<String, Object> memory = new LinkedHashMap<>();
        putIfNonZero(memory, "cache", stats.memoryCache());
        memory.put("usage", memoryUsage);

        Map<String, Object> pids = new LinkedHashMap<>();
        putIfNonZero(pids, "current", stats.pidsCurrent());
        putIfNonZero(pids, "limit", stats.pidsLimit());

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cpu", cpu);
        data.put("memory", memory);
        data.put("pids", pids);

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "stats");
        event.put("id", id);
        event.put("data", data);
        return event;
    }

    private static void putIfNonZero(Map<String, Object> map, String key, long value) {
        if (value != 0) {
            map.put(key, value);
        }
    }
}
