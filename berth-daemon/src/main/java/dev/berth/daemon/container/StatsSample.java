package dev.berth.daemon.container;

import dev.berth.daemon.system.HostInfo;
import dev.berth.runtime.api.ContainerStats;
import dev.berth.oci.json.JsonObjectBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One reading of a container's usage in docker's stats shape. The runtime's {@link ContainerStats}
 * gives the totals; the per-CPU usage, memory.stat and throttling counts the CLI also reads come
 * from the container's cgroup files (cgroupsPath /berth/&lt;id&gt;), best effort: a file the host
 * does not have leaves its field out. {@code system_cpu_usage} is /proc/stat's total in
 * nanoseconds, the denominator of the CLI's CPU %.
 */
record StatsSample(Instant read, ContainerStats stats, long systemCpuNanos, List<Long> perCpu,
                   Map<String, Long> memoryStat, Map<String, Long> throttling, BlkioCounters blkio,
                   Map<String, NetworkCounters> networks) {
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ 100

    static StatsSample take(String id, ContainerStats stats) {
        return new StatsSample(Instant.now(), stats, readSystemCpuNanos(), readPerCpu(id), readMemoryStat(id), readThrottling(id),
                BlkioCounters.read(CGROUP.resolve("blkio/berth").resolve(id)),
                NetworkCounters.ofCgroup(CGROUP, "berth/" + id));
    }

    /** The document for one reading; {@code pre} is the reading before (empty for the first). */
    static Map<String, Object> document(String id, String name, Optional<StatsSample> current, Optional<StatsSample> pre) {
        JsonObjectBuilder b = JsonObjectBuilder.create()
                .put("read", current.map(s -> time(s.read())).orElse("0001-01-01T00:00:00Z"))
                .put("preread", pre.map(s -> time(s.read())).orElse("0001-01-01T00:00:00Z"));
        Map<String, Object> pids = new LinkedHashMap<>();
        current.ifPresent(s -> {
            pids.put("current", s.stats().pidsCurrent());
            if (s.stats().pidsLimit() > 0) {
                pids.put("limit", s.stats().pidsLimit());
            }
        });
        List<Object> none = current.isPresent() ? List.of() : null;
        Map<String, Object> blkio = new LinkedHashMap<>();
        for (String k : List.of("io_service_bytes_recursive", "io_serviced_recursive", "io_queue_recursive",
                "io_service_time_recursive", "io_wait_time_recursive", "io_merged_recursive", "io_time_recursive",
                "sectors_recursive")) {
            blkio.put(k, none);
        }
        current.ifPresent(c -> {
            blkio.put("io_service_bytes_recursive", c.blkio().serviceBytes());
            blkio.put("io_serviced_recursive", c.blkio().serviced());
        });
        b.put("pids_stats", pids)
                .put("blkio_stats", blkio)
                .put("num_procs", 0L)
                .put("storage_stats", Map.of())
                .put("cpu_stats", cpu(current))
                .put("precpu_stats", cpu(pre))
                .put("memory_stats", memory(current))
                .put("name", name)
                .put("id", id);
        // as dockerd: after id, and only when the container has interfaces of its own (not with none or host)
        current.filter(c -> !c.networks().isEmpty()).ifPresent(c -> {
            Map<String, Object> nets = new TreeMap<>();
            c.networks().forEach((k, v) -> nets.put(k, v.toWire()));
            b.put("networks", nets);
        });
        return b.build();
    }

    private static Map<String, Object> cpu(Optional<StatsSample> sample) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", sample.map(s -> s.stats().cpuTotalNanos()).orElse(0L));
        sample.filter(s -> !s.perCpu().isEmpty()).ifPresent(s -> usage.put("percpu_usage", s.perCpu()));
        usage.put("usage_in_kernelmode", sample.map(s -> s.stats().cpuKernelNanos()).orElse(0L));
        usage.put("usage_in_usermode", sample.map(s -> s.stats().cpuUserNanos()).orElse(0L));
        JsonObjectBuilder b = JsonObjectBuilder.create().put("cpu_usage", usage);
        sample.ifPresent(s -> b.put("system_cpu_usage", s.systemCpuNanos())
                .put("online_cpus", (long) Runtime.getRuntime().availableProcessors()));
        Map<String, Long> t = sample.map(StatsSample::throttling).orElse(Map.of());
        return b.put("throttling_data", JsonObjectBuilder.create()
                        .put("periods", t.getOrDefault("nr_periods", 0L))
                        .put("throttled_periods", t.getOrDefault("nr_throttled", 0L))
                        .put("throttled_time", t.getOrDefault("throttled_time", t.getOrDefault("throttled_usec", 0L) * 1000))
                        .build())
                .build();
    }

    private static Map<String, Object> memory(Optional<StatsSample> sample) {
        if (sample.isEmpty()) {
            return Map.of();
        }
        StatsSample s = sample.get();
        Map<String, Long> stat = new TreeMap<>(s.memoryStat());
        if (stat.isEmpty()) {
            stat.put("cache", s.stats().memoryCache());
        }
        // dockerd reports an unlimited container's limit as the host's memory
        long host = HostInfo.memTotal();
        long limit = s.stats().memoryLimitBytes();
        JsonObjectBuilder b = JsonObjectBuilder.create().put("usage", s.stats().memoryUsageBytes());
        if (s.stats().memoryMaxUsageBytes() > 0) {
            b.put("max_usage", s.stats().memoryMaxUsageBytes());
        }
        return b.put("stats", stat)
                .put("limit", limit <= 0 || (host > 0 && limit > host) ? host : limit)
                .build();
    }

    private static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /** /proc/stat's first line: every CPU's time, in nanoseconds. */
    private static long readSystemCpuNanos() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    long ticks = 0;
                    String[] f = line.trim().split("\\s+");
                    for (int i = 1; i < f.length && i <= 7; i++) {
                        ticks += Long.parseLong(f[i]);
                    }
                    return ticks * NANOS_PER_TICK;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no system usage: the CLI shows 0 %
        }
        return 0;
    }

    private static List<Long> readPerCpu(String id) {
        List<Long> out = new ArrayList<>();
        read(CGROUP.resolve("cpuacct/berth").resolve(id).resolve("cpuacct.usage_percpu")).ifPresent(text -> {
            for (String v : text.trim().split("\\s+")) {
                if (!v.isEmpty()) {
                    out.add(Long.parseLong(v));
                }
            }
        });
        return out;
    }

    private static Map<String, Long> readMemoryStat(String id) {
        Optional<String> text = read(CGROUP.resolve("memory/berth").resolve(id).resolve("memory.stat"))
                .or(() -> read(CGROUP.resolve("berth").resolve(id).resolve("memory.stat")));
        return text.map(StatsSample::keyed).orElse(Map.of());
    }

    private static Map<String, Long> readThrottling(String id) {
        Optional<String> text = read(CGROUP.resolve("cpu/berth").resolve(id).resolve("cpu.stat"))
                .or(() -> read(CGROUP.resolve("berth").resolve(id).resolve("cpu.stat")));
        return text.map(StatsSample::keyed).orElse(Map.of());
    }

    private static Map<String, Long> keyed(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                try {
                    out.put(f[0], Long.parseLong(f[1]));
                } catch (NumberFormatException e) {
                    // not a counter
                }
            }
        }
        return out;
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
