package dev.berth.oci.runtime.json;

import static dev.berth.oci.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.oci.BerthException;
import dev.berth.oci.runtime.State;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StateJsonTest {

    @Test
    void reproducesRuncStateOutputByteForByte() {
        // captured from `runc state` (runc 1.1.5) for a created container with two annotations
        String golden = read("runc/state.json");

        State state = StateJson.parse(golden);

        assertThat(state.status()).isEqualTo(State.Status.CREATED);
        assertThat(state.annotations()).containsEntry("org.example.a", "<1>");
        assertThat(StateJson.write(state)).isEqualTo(golden);
    }

    @Test
    void writesRuncFieldOrderWithTwoSpacesAndNoAnnotationsWhenEmpty() {
        State state = new State("1.2.0", "web", State.Status.RUNNING, 4242, "/srv/bundle", "/srv/bundle/rootfs",
                "2024-05-01T10:00:00.123456789Z", "root", Map.of());

        assertThat(StateJson.write(state)).isEqualTo("""
                {
                  "ociVersion": "1.2.0",
                  "id": "web",
                  "pid": 4242,
                  "status": "running",
                  "bundle": "/srv/bundle",
                  "rootfs": "/srv/bundle/rootfs",
                  "created": "2024-05-01T10:00:00.123456789Z",
                  "owner": "root"
                }""");
    }

    @Test
    void writesAnnotationsSortedBeforeOwner() {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("z.last", "2");
        annotations.put("a.first", "1");
        State state = new State("1.2.0", "web", State.Status.STOPPED, 0, "/b", "/b/rootfs", "2024-05-01T10:00:00Z", "", annotations);

        assertThat(StateJson.write(state)).endsWith("""
                  "created": "2024-05-01T10:00:00Z",
                  "annotations": {
                    "a.first": "1",
                    "z.last": "2"
                  },
                  "owner": ""
                }""");
    }

    @Test
    void roundTripsEveryStatus() {
        for (State.Status status : State.Status.values()) {
            State state = new State("1.2.0", "c1", status, 7, "/b", "/b/rootfs", "2024-05-01T10:00:00Z", "", Map.of("k", "v"));

            assertThat(StateJson.parse(StateJson.write(state))).isEqualTo(state);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"status": "created"}                           | id: required
            {"id": "c1"}                                     | status: required
            {"id": "c1", "status": "sleeping"}               | status: unknown status "sleeping", expected one of creating, created, running, stopped, paused
            {"id": "c1", "status": "created", "pid": "12"}   | pid: expected a number, got string
            {"id": "c1", "status": "created", "annotations": []} | annotations: expected an object, got array
            """)
    void refusesBrokenStateNamingTheField(String json, String message) {
        assertThatThrownBy(() -> StateJson.parse(json))
                .isInstanceOfSatisfying(BerthException.class, e -> assertThat(e.kind()).isEqualTo(BerthException.Kind.INVALID_ARGUMENT))
                .hasMessage("state.json: " + message);
    }
}
