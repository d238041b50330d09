package dev.berth.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.oci.runtime.State;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * list and state output against runc 1.1's, captured from real runc containers on a Debian host
 * (same data, byte for byte).
 */
class ListAndStateOutputTest {
    private static final State C1 = new State("1.0.2-dev", "c1", State.Status.RUNNING, 5099, "/tmp/rb",
            "/tmp/rb/rootfs", "2026-11-26T06:10:06.881543105Z", "root", null);
    private static final State C2 = new State("1.0.2-dev", "c2", State.Status.CREATED, 5114, "/tmp/rb",
            "/tmp/rb/rootfs", "2026-11-26T06:10:06.90744469Z", "root", null);

    private static State annotated() {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("org.example/a", "x<y&z");
        annotations.put("b", "2");
        return new State("1.0.2-dev", "a-much-longer-container-id", State.Status.CREATED, 13989, "/tmp/rb",
                "/tmp/rb/rootfs", "2026-11-26T06:18:19.022945235Z", "root", annotations);
    }

    private static RecordingRuntime listing(State... states) {
        RecordingRuntime runtime = new RecordingRuntime();
        runtime.listed.addAll(java.util.List.of(states));
        return runtime;
    }

    @Test
    void tableMatchesRunc() {
        CliRun.Result result = CliRun.run(listing(C1, C2), "list");
        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo(
                "ID          PID         STATUS      BUNDLE      CREATED                          OWNER\n"
                + "c1          5099        running     /tmp/rb     2026-11-26T06:10:06.881543105Z   root\n"
                + "c2          5114        created     /tmp/rb     2026-11-26T06:10:06.90744469Z    root\n");
    }

    @Test
    void tableWidensColumnsForLongCellsAsRuncDoes() {
        assertThat(CliRun.run(listing(annotated()), "list").out()).isEqualTo(
                "ID                           PID         STATUS      BUNDLE      CREATED                          OWNER\n"
                + "a-much-longer-container-id   13989       created     /tmp/rb     2026-11-26T06:18:19.022945235Z   root\n");
    }

    @Test
    void emptyTableIsTheHeaderAlone() {
        assertThat(CliRun.run(listing(), "list").out())
                .isEqualTo("ID          PID         STATUS      BUNDLE      CREATED     OWNER\n");
    }

    @Test
    void jsonMatchesRunc() {
        assertThat(CliRun.run(listing(C1, C2), "list", "--format", "json").out()).isEqualTo(
                "[{\"ociVersion\":\"1.0.2-dev\",\"id\":\"c1\",\"pid\":5099,\"status\":\"running\",\"bundle\":\"/tmp/rb\","
                + "\"rootfs\":\"/tmp/rb/rootfs\",\"created\":\"2026-11-26T06:10:06.881543105Z\",\"owner\":\"root\"},"
                + "{\"ociVersion\":\"1.0.2-dev\",\"id\":\"c2\",\"pid\":5114,\"status\":\"created\",\"bundle\":\"/tmp/rb\","
                + "\"rootfs\":\"/tmp/rb/rootfs\",\"created\":\"2026-11-26T06:10:06.90744469Z\",\"owner\":\"root\"}]\n");
    }

    @Test
    void jsonWithAnnotationsMatchesRunc() {
        assertThat(CliRun.run(listing(annotated()), "list", "-f=json").out()).isEqualTo(
                "[{\"ociVersion\":\"1.0.2-dev\",\"id\":\"a-much-longer-container-id\",\"pid\":13989,\"status\":\"created\","
                + "\"bundle\":\"/tmp/rb\",\"rootfs\":\"/tmp/rb/rootfs\",\"created\":\"2026-11-26T06:18:19.022945235Z\","
                + "\"annotations\":{\"b\":\"2\",\"org.example/a\":\"x\\u003cy\\u0026z\"},\"owner\":\"root\"}]\n");
    }

    @Test
    void emptyJsonIsNullAsInRunc() {
        assertThat(CliRun.run(listing(), "list", "-f", "json").out()).isEqualTo("null\n");
    }

    @Test
    void quietPrintsIdsOnly() {
        assertThat(CliRun.run(listing(C1, C2), "list", "-q").out()).isEqualTo("c1\nc2\n");
        assertThat(CliRun.run(listing(C1, C2), "list", "--quiet", "--format=json").out()).isEqualTo("c1\nc2\n");
        assertThat(CliRun.run(listing(), "list", "--quiet").out()).isEmpty();
    }

    @Test
    void unknownFormatIsAnError() {
        CliRun.Result result = CliRun.run(listing(C1), "list", "--format", "xml");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("invalid format option");
    }

    @Test
    void listTakesNoArguments() {
        CliRun.Result result = CliRun.run(listing(C1), "list", "x");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("berth-runtime: \"list\" requires exactly 0 argument(s)\n");
    }

    @Test
    void stateMatchesRuncWithoutTrailingNewline() {
        RecordingRuntime runtime = new RecordingRuntime().with(new State("1.0.2-dev", "c1", State.Status.RUNNING, 5099,
                "/tmp/rb", "/tmp/rb/rootfs", "2026-11-26T06:10:06.881543105Z", "", null));
        assertThat(CliRun.run(runtime, "state", "c1").out()).isEqualTo("""
                {
                  "ociVersion": "1.0.2-dev",
                  "id": "c1",
                  "pid": 5099,
                  "status": "running",
                  "bundle": "/tmp/rb",
                  "rootfs": "/tmp/rb/rootfs",
                  "created": "2026-11-26T06:10:06.881543105Z",
                  "owner": ""
                }""");
    }

    @Test
    void stateWithAnnotationsMatchesRunc() {
        State state = annotated();
        RecordingRuntime runtime = new RecordingRuntime().with(new State(state.ociVersion(), state.id(), state.status(),
                state.pid(), state.bundle(), state.rootfs(), state.created(), "", state.annotations()));
        assertThat(CliRun.run(runtime, "state", "a-much-longer-container-id").out()).isEqualTo("""
                {
                  "ociVersion": "1.0.2-dev",
                  "id": "a-much-longer-container-id",
                  "pid": 13989,
                  "status": "created",
                  "bundle": "/tmp/rb",
                  "rootfs": "/tmp/rb/rootfs",
                  "created": "2026-11-26T06:18:19.022945235Z",
                  "annotations": {
                    "b": "2",
                    "org.example/a": "x\\u003cy\\u0026z"
                  },
                  "owner": ""
                }""");
    }

    @Test
    void stateOfAMissingContainerPrintsTheMessageAndExitsOne() {
        CliRun.Result result = CliRun.run(new RecordingRuntime(), "state", "nope");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("container \"nope\" does not exist\n");
    }
}
