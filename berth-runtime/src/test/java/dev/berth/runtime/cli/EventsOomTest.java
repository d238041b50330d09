package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.runtime.State;
import org.junit.jupiter.api.Test;

/** events reports an OOM kill as runc does (its events.bats "events oom" greps this exact line). */
class EventsOomTest {

    @Test
    void anOomKillBecomesAnOomEvent() {
        RecordingRuntime runtime = new RecordingRuntime().with(RecordingRuntime.state("c1", State.Status.RUNNING, 42));
        runtime.oomOnStats = true;
        runtime.stateCallsLeft = 3;
        CliRun.Result result = CliRun.run(runtime, "events", "--interval=1ms", "c1");
        assertThat(result.status()).isZero();
        assertThat(result.out()).contains("{\"type\":\"oom\",\"id\":\"c1\"}\n");
    }

    @Test
    void noKillNoOomEvent() {
        RecordingRuntime runtime = new RecordingRuntime().with(RecordingRuntime.state("c1", State.Status.RUNNING, 42));
        runtime.oomKills = 5; // kills before events started are not news
        runtime.stateCallsLeft = 3;
        assertThat(CliRun.run(runtime, "events", "--interval=1ms", "c1").out()).doesNotContain("oom");
    }
}
