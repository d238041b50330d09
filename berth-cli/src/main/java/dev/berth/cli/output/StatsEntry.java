package dev.berth.cli.output;

import dev.berth.cli.format.Units;
import java.util.Map;

/**
 * One container's line of {@code docker stats}, computed from one stats sample as the docker CLI
 * computes it (cli/command/container/stats_helpers.go): CPU % from the sample's cpu_stats against
 * its precpu_stats, memory without the inactive page cache, network and block I/O summed.
 *
 * @param container  the name or ID the user gave (or the listed ID)
 * @param invalid    the stream failed: the line shows "--"
 */
public record StatsEntry(String container, String name, String id, double cpuPercent, double memory,
        double memoryLimit, double memoryPercent, double networkRx, double networkTx, double blockRead,
        double blockWrite, long pids, boolean invalid) {

    /** A line before the first sample: zeros, as docker shows it. */
    public static StatsEntry empty(String container) {
        return new StatsEntry(container, "", "", 0, 0, 0, 0, 0, 0, 0, 0, 0, false);
    }

    public StatsEntry asInvalid() {
        return new StatsEntry(container, name, id, 0, 0, 0, 0, 0, 0, 0, 0, 0, true);
    }

    /** The entry for one decoded sample of GET /containers/{id}/stats. */
    public static StatsEntry of(String container, Map<String, Object> v) {
        Map<String, Object> cpu = Fields.object(v.get("cpu_stats"));
        Map<String, Object> precpu = Fields.object(v.get("precpu_stats"));
        Map<String, Object> memory = Fields.object(v.get("memory_stats"));
        double mem = memoryNoCache(memory);
        double limit = number(memory.get("limit"));
        double rx = 0;
        double tx = 0;
        for (Object network : Fields.object(v.get("networks")).values()) {
            rx += number(Fields.object(network).get("rx_bytes"));
            tx += number(Fields.object(network).get("tx_bytes"));
        }
        double read = 0;
        double write = 0;
        for (Map<String, Object> entry : Fields.objects(Fields.object(v.get("blkio_stats")).get("io_service_bytes_recursive"))) {
            String op = Fields.string(entry.get("op"));
            if (op.isEmpty()) {
                continue;
            }
            switch (op.charAt(0)) {
                case 'r', 'R' -> read += number(entry.get("value"));
                case 'w', 'W' -> write += number(entry.get("value"));
                default -> { }
            }
        }
        return new StatsEntry(container, Fields.string(v.get("name")), Fields.string(v.get("id")), cpuPercent(cpu, precpu),
                mem, limit, limit != 0 ? mem / limit * 100.0 : 0, rx, tx, read, write,
                Fields.number(Fields.object(v.get("pids_stats")).get("current")), false);
    }

    /** Container CPU time over host CPU time between the two samples, times the online CPUs. */
    static double cpuPercent(Map<String, Object> cpu, Map<String, Object> precpu) {
        Map<String, Object> usage = Fields.object(cpu.get("cpu_usage"));
        double cpuDelta = number(usage.get("total_usage")) - number(Fields.object(precpu.get("cpu_usage")).get("total_usage"));
        double systemDelta = number(cpu.get("system_cpu_usage")) - number(precpu.get("system_cpu_usage"));
        double online = number(cpu.get("online_cpus"));
        if (online == 0.0) {
            online = usage.get("percpu_usage") instanceof java.util.List<?> l ? l.size() : 0;
        }
        return systemDelta > 0.0 && cpuDelta > 0.0 ? cpuDelta / systemDelta * online * 100.0 : 0.0;
    }

    /** Usage less the inactive file cache: total_inactive_file on cgroup v1, inactive_file on v2. */
    static double memoryNoCache(Map<String, Object> memory) {
        double usage = number(memory.get("usage"));
        Map<String, Object> stats = Fields.object(memory.get("stats"));
        if (stats.containsKey("total_inactive_file") && number(stats.get("total_inactive_file")) < usage) {
            return usage - number(stats.get("total_inactive_file"));
        }
        double inactive = number(stats.get("inactive_file"));
        return inactive < usage ? usage - inactive : usage;
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0.0;
    }

    /** The row docker's statsContext renders: "0.25%", "324KiB / 23.54GiB", "0B / 0B". */
    public Row row(boolean trunc) {
        return new Row("*container.statsContext")
                .put("BlockIO", invalid ? "--" : Units.humanSize(blockRead, 3) + " / " + Units.humanSize(blockWrite, 3))
                .put("CPUPerc", invalid ? "--" : percent(cpuPercent))
                .put("Container", container)
                .put("ID", trunc ? Fields.shortId(id) : id)
                .put("MemPerc", invalid ? "--" : percent(memoryPercent))
                .put("MemUsage", invalid ? "-- / --" : Units.bytesSize(memory) + " / " + Units.bytesSize(memoryLimit))
                .put("Name", name.length() > 1 ? name.substring(1) : "--")
                .put("NetIO", invalid ? "--" : Units.humanSize(networkRx, 3) + " / " + Units.humanSize(networkTx, 3))
                .put("PIDs", invalid ? "--" : Long.toString(pids));
    }

    /** Go's "%.2f%%". */
    static String percent(double value) {
        return new java.math.BigDecimal(value).setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString() + "%";
    }
}
