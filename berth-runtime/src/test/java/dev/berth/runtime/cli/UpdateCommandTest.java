package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.runtime.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdateCommandTest {

    private static Resources update(String stdin, String... args) {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.Result result = CliRun.run(runtime, stdin, new CliRun.FixedSpecSource(), args);
        assertThat(result.err()).isEmpty();
        assertThat(result.status()).isZero();
        return runtime.updated;
    }

    @Test
    void memoryFlagsTakeSizeSuffixes() {
        Resources r = update("", "update", "--memory", "512m", "--memory-reservation=256M", "--memory-swap", "-1",
                "--kernel-memory", "1g", "c");
        assertThat(r.memory().limit()).isEqualTo(512L << 20);
        assertThat(r.memory().reservation()).isEqualTo(256L << 20);
        assertThat(r.memory().swap()).isEqualTo(-1L);
        assertThat(r.memory().kernel()).isEqualTo(1L << 30);
        assertThat(r.memory().kernelTCP()).isNull();
        assertThat(r.cpu()).isNull();
        assertThat(r.pids()).isNull();
        assertThat(r.blockIO()).isNull();
    }

    @Test
    void cpuFlagsAreNumbersAndSets() {
        Resources r = update("", "update", "--cpu-share", "512", "--cpu-quota=-1", "--cpu-period", "100000",
                "--cpu-rt-period", "1000000", "--cpu-rt-runtime", "950000", "--cpuset-cpus", "0-1", "--cpuset-mems=0", "c");
        assertThat(r.cpu()).isEqualTo(new Resources.Cpu(512L, -1L, null, 100000L, 950000L, 1000000L, "0-1", "0", null));
        assertThat(r.memory()).isNull();
    }

    @Test
    void cpuSharesIsAnAliasOfCpuShare() {
        assertThat(update("", "update", "--cpu-shares=256", "c").cpu().shares()).isEqualTo(256L);
    }

    @Test
    void pidsAndBlkioWeight() {
        Resources r = update("", "update", "--pids-limit", "100", "--blkio-weight=500", "c");
        assertThat(r.pids().limit()).isEqualTo(100);
        assertThat(r.blockIO().weight()).isEqualTo(500);
        assertThat(update("", "update", "--pids-limit=-1", "c").pids().limit()).isEqualTo(-1);
    }

    @Test
    void zeroMeansUnchangedAsInRunc() {
        Resources r = update("", "update", "--pids-limit", "0", "--memory", "0", "--cpu-share", "0", "c");
        assertThat(r.pids()).isNull();
        assertThat(r.memory()).isNull();
        assertThat(r.cpu()).isNull();
    }

    @Test
    void badValuesNameTheFlag() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.Result size = CliRun.run(runtime, "update", "--memory", "10x", "c");
        assertThat(size.status()).isEqualTo(1);
        assertThat(size.err()).isEqualTo("invalid value for memory: invalid size: '10x'\n");
        assertThat(CliRun.run(runtime, "update", "--cpu-share", "abc", "c").err()).startsWith("invalid value for cpu-share");
        assertThat(CliRun.run(runtime, "update", "--cpu-period", "-5", "c").err()).startsWith("invalid value for cpu-period");
        assertThat(CliRun.run(runtime, "update", "--pids-limit", "abc", "c").err())
                .isEqualTo("invalid value \"abc\" for flag -pids-limit: parse error\n");
        assertThat(CliRun.run(runtime, "update", "--blkio-weight=-1", "c").err())
                .isEqualTo("invalid value \"-1\" for flag -blkio-weight: parse error\n");
        assertThat(runtime.calls).isEmpty();
    }

    @Test
    void rdtIsNotSupported() {
        CliRun.Result result = CliRun.run(new RecordingRuntime(), "update", "--l3-cache-schema", "L3:0=f", "c");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("not supported");
    }

    @Test
    void resourcesFromStdinIgnoreTheOtherFlags() {
        Resources r = update("""
                {"memory": {"limit": 1048576, "reservation": 0, "swap": 0},
                 "cpu": {"shares": 0, "quota": 50000, "period": 100000, "realtimeRuntime": 0, "realtimePeriod": 0,
                         "cpus": "", "mems": ""},
                 "blockIO": {"weight": 0},
                 "pids": {"limit": 10}}
                """, "update", "-r", "-", "--memory", "2g", "c");
        assertThat(r.memory()).isEqualTo(new Resources.Memory(1048576L, null, null, null, null, null, null, null, null));
        assertThat(r.cpu()).isEqualTo(new Resources.Cpu(null, 50000L, null, 100000L, null, null, null, null, null));
        assertThat(r.blockIO()).isNull();
        assertThat(r.pids().limit()).isEqualTo(10);
    }

    @Test
    void resourcesFileReadsTheWholeOciObject(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("r.json");
        Files.writeString(file, """
                {"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}],
                 "memory": {"limit": 18446744073709551615, "swappiness": 10, "disableOOMKiller": true},
                 "blockIO": {"weight": 300, "weightDevice": [{"major": 8, "minor": 0, "weight": 500}],
                             "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1000}]},
                 "hugepageLimits": [{"pageSize": "2MB", "limit": 209715200}],
                 "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 500}]},
                 "unified": {"memory.high": "max"}}
                """);
        Resources r = update("", "update", "--resources", file.toString(), "c");
        assertThat(r.devices()).containsExactly(new Resources.DeviceRule(false, null, null, null, "rwm"),
                new Resources.DeviceRule(true, "c", 1L, 3L, "rw"));
        assertThat(r.memory().limit()).as("2^64-1 is unlimited").isEqualTo(-1L);
        assertThat(r.memory().swappiness()).isEqualTo(10L);
        assertThat(r.memory().disableOOMKiller()).isTrue();
        assertThat(r.blockIO().weight()).isEqualTo(300);
        assertThat(r.blockIO().weightDevice()).containsExactly(new Resources.WeightDevice(8, 0, 500, null));
        assertThat(r.blockIO().throttleReadBpsDevice()).containsExactly(new Resources.ThrottleDevice(8, 0, 1000));
        assertThat(r.hugepageLimits()).containsExactly(new Resources.HugepageLimit("2MB", 209715200));
        assertThat(r.network().classID()).isEqualTo(1048577L);
        assertThat(r.network().priorities()).containsExactly(new Resources.InterfacePriority("eth0", 500));
        assertThat(r.unified()).containsEntry("memory.high", "max");
    }

    @Test
    void badResourcesDocumentsAreRejected() {
        RecordingRuntime runtime = new RecordingRuntime();
        CliRun.Result notObject = CliRun.run(runtime, "[1]", new CliRun.FixedSpecSource(), "update", "-r", "-", "c");
        assertThat(notObject.err()).isEqualTo("stdin: the document must be a JSON object\n");
        CliRun.Result wrongType = CliRun.run(runtime, "{\"memory\": {\"limit\": \"1g\"}}", new CliRun.FixedSpecSource(),
                "update", "-r", "-", "c");
        assertThat(wrongType.err()).isEqualTo("stdin: \"memory.limit\" must be a whole number\n");
        assertThat(CliRun.run(runtime, "update", "-r", "/no/such/file", "c").err()).startsWith("cannot read resources");
        assertThat(runtime.calls).isEmpty();
    }

    @Test
    void updateNeedsOneId() {
        assertThat(CliRun.run(new RecordingRuntime(), "update", "--memory", "1m").err())
                .isEqualTo("berth-runtime: \"update\" requires exactly 1 argument(s)\n");
    }
}
