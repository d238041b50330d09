package dev.berth.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.json.Json;
import org.junit.jupiter.api.Test;

class StatsEntryTest {
    private static StatsEntry entry(String json) {
        return StatsEntry.of("web", Fields.object(Json.parse(json, "test")));
    }

    @Test
    void cpuAndMemoryAreComputedAsTheDockerCli() {
        StatsEntry e = entry("""
                {"name":"/web","id":"a3a94fba1c83583329f42dec97285d7c908603e5bc0cf79f6c537476c15dc913",
                 "cpu_stats":{"cpu_usage":{"total_usage":300000000},"system_cpu_usage":20000000000,"online_cpus":2},
                 "precpu_stats":{"cpu_usage":{"total_usage":100000000},"system_cpu_usage":18000000000},
                 "memory_stats":{"usage":10485760,"limit":104857600,"stats":{"total_inactive_file":2097152}},
                 "pids_stats":{"current":3},
                 "networks":{"eth0":{"rx_bytes":1000,"tx_bytes":2000},"eth1":{"rx_bytes":500,"tx_bytes":0}},
                 "blkio_stats":{"io_service_bytes_recursive":[{"op":"Read","value":4096},{"op":"write","value":8192},
                   {"op":"Total","value":12288},{"op":"read","value":4096}]}}""");
        // (0.2 s of CPU / 2 s of host CPU) × 2 CPUs = 20 %
        assertThat(e.cpuPercent()).isEqualTo(20.0);
        assertThat(e.memory()).isEqualTo(8388608.0);
        Row row = e.row(true);
        assertThat(row.get("CPUPerc")).isEqualTo("20.00%");
        assertThat(row.get("MemUsage")).isEqualTo("8MiB / 100MiB");
        assertThat(row.get("MemPerc")).isEqualTo("8.00%");
        assertThat(row.get("NetIO")).isEqualTo("1.5kB / 2kB");
        assertThat(row.get("BlockIO")).isEqualTo("8.19kB / 8.19kB");
        assertThat(row.get("PIDs")).isEqualTo("3");
        assertThat(row.get("Name")).isEqualTo("web");
        assertThat(row.get("ID")).isEqualTo("a3a94fba1c83");
        assertThat(row.get("Container")).isEqualTo("web");
    }

    @Test
    void cgroupV2CacheAndPerCpuFallback() {
        StatsEntry e = entry("""
                {"cpu_stats":{"cpu_usage":{"total_usage":150,"percpu_usage":[100,50,0,0]},"system_cpu_usage":1000},
                 "precpu_stats":{"cpu_usage":{"total_usage":100},"system_cpu_usage":900},
                 "memory_stats":{"usage":1000,"limit":4000,"stats":{"inactive_file":200}}}""");
        // no online_cpus: the length of percpu_usage (4); 50/100 × 4 × 100
        assertThat(e.cpuPercent()).isEqualTo(200.0);
        assertThat(e.memory()).isEqualTo(800.0);
        assertThat(e.memoryPercent()).isEqualTo(20.0);
    }

    @Test
    void aStoppedContainerReadsZeroAndAFailedStreamReadsDashes() {
        StatsEntry stopped = entry("{\"name\":\"/done\",\"id\":\"44e2276415c4\",\"memory_stats\":{},\"cpu_stats\":{},\"precpu_stats\":{}}");
        Row row = stopped.row(true);
        assertThat(row.get("CPUPerc")).isEqualTo("0.00%");
        assertThat(row.get("MemUsage")).isEqualTo("0B / 0B");
        assertThat(row.get("MemPerc")).isEqualTo("0.00%");
        Row invalid = stopped.asInvalid().row(true);
        assertThat(invalid.get("CPUPerc")).isEqualTo("--");
        assertThat(invalid.get("MemUsage")).isEqualTo("-- / --");
        assertThat(invalid.get("PIDs")).isEqualTo("--");
        assertThat(StatsEntry.empty("x").row(true).get("Name")).isEqualTo("--");
    }

    @Test
    void percentagesRoundAsGoPrintsThem() {
        assertThat(StatsEntry.percent(0.125)).isEqualTo("0.12%");
        assertThat(StatsEntry.percent(0.135)).isEqualTo("0.14%");
        assertThat(StatsEntry.percent(99.999)).isEqualTo("100.00%");
        assertThat(StatsEntry.percent(0)).isEqualTo("0.00%");
    }
}
