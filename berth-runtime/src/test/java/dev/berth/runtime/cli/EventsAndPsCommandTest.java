package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.runtime.State;
import dev.berth.runtime.api.ContainerStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventsAndPsCommandTest {

    private static RecordingRuntime running() {
        RecordingRuntime runtime = new RecordingRuntime().with(RecordingRuntime.state("c1", State.Status.RUNNING, 42));
        runtime.stats = new ContainerStats(21671650, 0, 20000000, 483328, 9223372036854771712L, 2777088, 12288, 1, 0);
        return runtime;
    }

    /** Field names and order as runc 1.1 prints them (types.Stats), limited to what ContainerStats has. */
    private static final String STATS_LINE = "{\"type\":\"stats\",\"id\":\"c1\",\"data\":{"
            + "\"cpu\":{\"usage\":{\"total\":21671650,\"kernel\":20000000,\"user\":0},\"throttling\":{}},"
            + "\"memory\":{\"cache\":12288,\"usage\":{\"limit\":9223372036854771712,\"usage\":483328,\"max\":2777088,\"failcnt\":0}},"
            + "\"pids\":{\"current\":1}}}\n";

    @Test
    void statsPrintsOneEventAndExits() {
        RecordingRuntime runtime = running();
        CliRun.Result result = CliRun.run(runtime, "events", "--stats", "c1");
        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo(STATS_LINE);
    }

    @Test
    void pidsLimitAppearsWhenSet() {
        RecordingRuntime runtime = running();
        runtime.stats = new ContainerStats(0, 0, 0, 0, 0, 0, 0, 3, 100);
        assertThat(CliRun.run(runtime, "events", "--stats", "c1").out())
                .contains("\"pids\":{\"current\":3,\"limit\":100}")
                .contains("\"usage\":{\"kernel\":0,\"user\":0}");
    }

    @Test
    void withoutStatsItRepeatsUntilTheContainerIsGone() {
        RecordingRuntime runtime = running();
        runtime.stateCallsLeft = 3; // one up-front check, then two rounds
        CliRun.Result result = CliRun.run(runtime, "events", "--interval=1ms", "c1");
        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo(STATS_LINE + STATS_LINE);
    }

    @Test
    void stopsWhenTheContainerStops() {
        RecordingRuntime runtime = running();
        runtime.afterStats = RecordingRuntime.state("c1", State.Status.STOPPED, 0);
        CliRun.Result result = CliRun.run(runtime, "events", "--interval", "1ms", "c1");
        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo(STATS_LINE);
    }

    @Test
    void eventsRefusesStoppedContainersAndBadIntervals() {
        RecordingRuntime stopped = new RecordingRuntime().with(RecordingRuntime.state("c1", State.Status.STOPPED, 0));
        CliRun.Result result = CliRun.run(stopped, "events", "--stats", "c1");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("container \"c1\" is not running\n");
        assertThat(CliRun.run(running(), "events", "--interval", "0s", "c1").err()).contains("greater than 0");
        assertThat(CliRun.run(running(), "events", "--interval", "5", "c1").err())
                .isEqualTo("invalid value \"5\" for flag -interval: parse error\n");
        assertThat(CliRun.run(running(), "events").err())
                .isEqualTo("berth-runtime: \"events\" requires exactly 1 argument(s)\n");
    }

    @Test
    void psJsonPrintsThePids() {
        RecordingRuntime runtime = running();
        runtime.pids = List.of(5099, 5120);
        assertThat(CliRun.run(runtime, "ps", "-f", "json", "c1").out()).isEqualTo("[5099,5120]\n");
        assertThat(CliRun.run(runtime, "ps", "--format=json", "c1").out()).isEqualTo("[5099,5120]\n");
        runtime.pids = List.of();
        assertThat(CliRun.run(runtime, "ps", "--format", "json", "c1").out()).isEqualTo("[]\n");
    }

    @Test
    void psFilterKeepsTheHeaderAndTheContainersLines() {
        String ps = """
                UID        PID  PPID  C STIME TTY          TIME CMD
                root         1     0  0 06:00 ?        00:00:01 /sbin/init
                root      5099     1  0 06:10 ?        00:00:00 sleep 1000
                root      5100  5099  0 06:10 ?        00:00:00 sh -c 5099
                """;
        assertThat(PsCommand.filter(ps, List.of(5099))).isEqualTo("""
                UID        PID  PPID  C STIME TTY          TIME CMD
                root      5099     1  0 06:10 ?        00:00:00 sleep 1000
                """);
    }

    @Test
    void psFilterFindsThePidColumnWherePsPutsIt() {
        String ps = "  PID COMMAND\n 5099 sleep\n 6000 other\n";
        assertThat(PsCommand.filter(ps, List.of(5099))).isEqualTo("  PID COMMAND\n 5099 sleep\n");
    }

    @Test
    void psRunsTheHostPsWithTheGivenOptions() {
        RecordingRuntime runtime = running();
        int self = (int) ProcessHandle.current().pid();
        runtime.pids = List.of(self);
        CliRun.Result table = CliRun.run(runtime, "ps", "c1");
        assertThat(table.status()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("PID", "CMD");
        assertThat(lines.get(1).trim().split("\\s+")[1]).isEqualTo(Integer.toString(self));

        CliRun.Result custom = CliRun.run(runtime, "ps", "c1", "-o", "pid,comm");
        assertThat(custom.out().lines().toList()).hasSize(2);
        assertThat(custom.out().lines().findFirst().orElseThrow().trim()).isEqualTo("PID COMMAND");
    }

    @Test
    void psWithoutAPidColumnFails() {
        RecordingRuntime runtime = running();
        runtime.pids = List.of(1);
        CliRun.Result result = CliRun.run(runtime, "ps", "c1", "-o", "comm");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("PID column");
    }

    @Test
    void psNeedsAnId() {
        assertThat(CliRun.run(running(), "ps").err())
                .isEqualTo("berth-runtime: \"ps\" requires a minimum of 1 argument(s)\n");
    }
}
